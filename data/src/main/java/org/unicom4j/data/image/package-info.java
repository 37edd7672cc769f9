/**
 * Decoding image files into 8-bit pixels, and the deterministic inference preprocessing of the reference
 * (Pillow-exact bicubic resize of the shorter side, torchvision centre crop, /255, CLIP normalisation, CHW floats).
 */
package org.unicom4j.data.image;
