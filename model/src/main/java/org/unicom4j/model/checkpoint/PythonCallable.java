package org.unicom4j.model.checkpoint;

import java.util.List;

/**
 * What a pickle global ({@code module.name}) stands for when the {@link Unpickler} meets it: something called by
 * REDUCE, NEWOBJ or INST with the positional arguments. If the result implements {@link Buildable}, a later
 * BUILD opcode hands it its state.
 */
@FunctionalInterface
public interface PythonCallable {
    Object call(List<Object> args);

    /** An object under construction that takes its state from BUILD ({@code __setstate__}). */
    interface Buildable {
        /** Applies {@code state} and returns the finished object, which replaces this one on the stack. */
        Object build(Object state);
    }
}
