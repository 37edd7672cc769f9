/**
 * The seam between the training engine and a training method: {@link org.unicom4j.training.method.TrainingMethod}
 * (found by name through ServiceLoader) opens a {@link org.unicom4j.training.method.MethodModel}, which builds a
 * {@link org.unicom4j.training.trainer.Learner} per train stage. {@code unicom} is in
 * {@link org.unicom4j.training.unicom}.
 */
package org.unicom4j.training.method;
