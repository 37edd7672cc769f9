package org.unicom4j.training.config;

import org.unicom4j.data.InvalidInputException;

/**
 * A run config is wrong: not JSON, an unknown key, a value out of range, stages that contradict each other. The
 * message is one line naming the file and the dotted key, what was expected and what was found.
 */
public class InvalidConfigException extends InvalidInputException {
    public InvalidConfigException(String message) {
        super(message);
    }
}
