/**
 * Option groups several subcommands share (picocli mixins): the compute backend, the model and its weights, where
 * labelled images come from, and what to do with a bad image.
 */
package org.unicom4j.cli.options;
