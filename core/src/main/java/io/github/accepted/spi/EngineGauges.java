package io.github.accepted.spi;

import java.util.Set;

/**
 * What a {@link JobListener} may sample of the engine it listens to, at any time, from any
 * thread: the figures that are states rather than events. Each call is cheap (no store call).
 */
public interface EngineGauges {

    /** The job types the engine has handlers for. */
    Set<String> jobTypes();

    /** How many jobs of {@code type} run on this instance now. */
    int runningJobs(String type);

    /** How many clients wait on this instance now for a job to change (long-polls). */
    int waitingClients();
}
