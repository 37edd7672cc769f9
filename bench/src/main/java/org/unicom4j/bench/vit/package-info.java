/**
 * ViT-B/32 side by side with ONNX Runtime and PyTorch (inference and one training step), and a per-kernel
 * profile of our forward through a timing {@link org.unicom4j.kernels.Backend} wrapper.
 */
package org.unicom4j.bench.vit;
