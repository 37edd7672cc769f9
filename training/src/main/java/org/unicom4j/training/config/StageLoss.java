package org.unicom4j.training.config;

/** The loss settings of a train stage, by method: {@link LossSpec} for {@code unicom}, {@link SscqLossSpec}. */
public sealed interface StageLoss permits LossSpec, SscqLossSpec {
}
