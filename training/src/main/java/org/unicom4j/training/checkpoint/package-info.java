/**
 * Training checkpoints: model, prototypes, AdamW moments and the run's position and random state in one
 * safetensors file written atomically, streamed to and from the device in chunks; and the directory that keeps
 * the last few of them.
 */
package org.unicom4j.training.checkpoint;
