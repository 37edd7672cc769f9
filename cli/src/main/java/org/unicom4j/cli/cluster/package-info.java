/** {@code unicom4j cluster}: k-means pseudo-classes from feature files (Unicom's joint image/text feature). */
package org.unicom4j.cli.cluster;
