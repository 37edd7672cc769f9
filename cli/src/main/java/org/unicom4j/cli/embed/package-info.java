/** {@code unicom4j embed}: labelled images to an embeddings {@code .npy} and its manifest. */
package org.unicom4j.cli.embed;
