/**
 * The HTTP search service ({@code unicom4j serve}): the {@code /v1} API over the library's ImageEmbedder and
 * ImageIndex, health, Prometheus metrics, the OpenAPI document and the web page, served from the jar.
 */
package org.unicom4j.serve;
