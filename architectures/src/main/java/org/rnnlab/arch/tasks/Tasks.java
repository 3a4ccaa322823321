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
        switch (name) {
            case "adding":
                return new AddingProblem(length);
            case "tagging":
                return new Tagging();
            case "sentiment":
                return new Sentiment();
            case "melody":
                return new Melody();
            case "dates":
                return new Dates();
            default:
                throw new IllegalArgumentException("task '" + name + "' is not one of adding, tagging, sentiment, dates, melody");
        }
    }
}
