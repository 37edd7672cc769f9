/**
 * The engine's training loop, the same for every method: batches built ahead (epoch order, augmentation, views),
 * a method's {@link org.unicom4j.training.trainer.Learner}, the NaN guard, gradient clipping, AdamW with the
 * schedule, the position and the epoch tally that checkpoints keep.
 */
package org.unicom4j.training.trainer;
