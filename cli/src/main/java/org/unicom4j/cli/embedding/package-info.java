/**
 * Images to embeddings for the subcommands: the model and its preprocessing, labelled image sources, batched
 * embedding with progress, and the embeddings file plus manifest that embed writes and index/eval read.
 */
package org.unicom4j.cli.embedding;
