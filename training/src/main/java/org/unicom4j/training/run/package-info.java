/**
 * Running a config: {@link org.unicom4j.training.run.TrainingRun} opens the data, backend and the method's model
 * and runs the stages in order (features, k-means, training through the engine, evaluation), each writing its
 * outputs and its result.json under the run folder; a stopped run resumes stage by stage. Also the progress
 * line, the metrics log and the training data readers.
 */
package org.unicom4j.training.run;
