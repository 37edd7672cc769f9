/**
 * Option groups several subcommands share (picocli mixins): the compute backend, the model and its weights, and
 * where labelled images come from.
 */
package org.unicom4j.cli.options;
