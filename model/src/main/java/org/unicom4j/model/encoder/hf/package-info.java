/**
 * Hugging Face checkpoints of the CLIP and SigLIP vision towers, read unchanged: a directory (or a safetensors file,
 * or a sharded index) with {@code config.json} and optionally {@code preprocessor_config.json}; fp32, fp16 or bf16
 * weights of CLIPVisionModel, CLIPVisionModelWithProjection, CLIPModel, SiglipVisionModel or SiglipModel.
 */
package org.unicom4j.model.encoder.hf;
