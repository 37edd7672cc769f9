/**
 * Frozen foundation backbones, forward only, on a {@link org.unicom4j.kernels.Backend}: the CLIP and SigLIP
 * vision towers (pre-norm transformer blocks with biased q/k/v projections and GELU; CLIP's class token with pre-
 * and post-LayerNorm and optional projection, SigLIP's attention-pooling head), laid out under Hugging Face's
 * state-dict key names. Reading the Hugging Face files is {@link org.unicom4j.model.encoder.hf}.
 */
package org.unicom4j.model.encoder;
