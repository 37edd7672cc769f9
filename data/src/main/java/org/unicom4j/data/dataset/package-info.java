/**
 * Labelled image collections and the readers of the list formats they ship in: ImageFolder trees, CSV manifests,
 * CUB-200-2011, Stanford Online Products, In-shop Clothes, and IDX (MNIST / Fashion-MNIST) pairs.
 */
package org.unicom4j.data.dataset;
