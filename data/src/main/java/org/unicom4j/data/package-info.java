/**
 * Everything between files on disk and float tensors: image decoding, preprocessing and augmentation,
 * dataset readers, batch loaders and feature files. Imports nothing else of unicom4j (JDK only).
 */
package org.unicom4j.data;
