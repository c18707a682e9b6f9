package io.github.accepted.benchmarks;

/** The no-op job JobRunr runs in {@link PostgresEndToEnd}: JobRunr calls a public static method by name. */
public final class JobRunrNoop {

    private JobRunrNoop() {}

    /** Records that job {@code key} started. */
    public static void run(String key) {
        PostgresEndToEnd.STARTED.put(key, System.nanoTime());
    }
}
