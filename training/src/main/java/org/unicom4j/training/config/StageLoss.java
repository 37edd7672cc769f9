package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The loss settings of a train stage, by method: {@link LossSpec} for {@code unicom}, {@link SscqLossSpec}. */
public sealed interface StageLoss permits LossSpec, SscqLossSpec {

    /** This loss in the config-file format. */
    ObjectNode toJson();
}
