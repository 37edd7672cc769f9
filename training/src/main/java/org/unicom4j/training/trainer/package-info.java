/** The training loop: batches, the sampled margin softmax, AdamW with schedules, progress and divergence checks. */
package org.unicom4j.training.trainer;
