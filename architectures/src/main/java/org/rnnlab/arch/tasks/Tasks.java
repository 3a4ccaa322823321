package org.rnnlab.arch.tasks;

/** The tasks by name. */
public final class Tasks {
    private Tasks() {
    }

    /**
     * @param name   {@code adding}, {@code tagging}, {@code sentiment}, {@code dates} or {@code melody}
     * @param length T for the adding problem
     * @return the task
     */
    public static Task named(String name, int length) {
        return Task.Kind.named(name).create(length);
    }
}
