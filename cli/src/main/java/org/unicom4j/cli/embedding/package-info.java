/**
 * The embeddings files of the subcommands: the {@code .npy} plus manifest that embed writes and index/eval read,
 * embedding a whole source into memory, and the progress line. Models and image sources come from the api module.
 */
package org.unicom4j.cli.embedding;
