/**
 * Checkpoint formats on the host: PyTorch {@code torch.save} archives (zip + a pickle subset + raw storages),
 * safetensors (read and atomic write), the {@link org.unicom4j.model.checkpoint.StateDict} of named
 * {@link org.unicom4j.model.checkpoint.HostTensor}s they hold, and the {@code .pt -> .safetensors} converter.
 */
package org.unicom4j.model.checkpoint;
