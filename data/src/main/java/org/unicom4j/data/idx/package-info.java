/**
 * IDX files (the MNIST / Fashion-MNIST format, gzipped or not): a typed n-dimensional array with big-endian
 * dimensions, and the image-plus-label pairing those data sets ship as.
 */
package org.unicom4j.data.idx;
