package io.github.accepted;

/** The problems the engine records on jobs that did not succeed. */
final class JobProblems {

    private JobProblems() {}

    static Problem handlerFailed() {
        return Problem.of(
                "job-failed",
                "Job failed",
                500,
                "The job's handler failed. The server's log has the details, under this job's id.");
    }

    static Problem resultNotSerializable() {
        return Problem.of(
                "result-not-serializable",
                "Job failed",
                500,
                "The job finished, but its result could not be written as JSON.");
    }

    static Problem nullResult() {
        return Problem.of(
                "null-result",
                "Job failed",
                500,
                "The job's handler returned no result (null). The server's log has the details, under this job's id.");
    }

    static Problem canceled() {
        return Problem.of("job-canceled", "Job canceled", 409, "The job was canceled at its owner's request.");
    }

    static Problem interruptedByShutdown() {
        return Problem.of(
                "shutdown",
                "Server shut down",
                503,
                "The server shut down while the job was running, and it did not finish in time.");
    }

    static Problem timedOut(java.time.Duration limit) {
        return Problem.of(
                "timeout",
                "Job timed out",
                504,
                "The job ran longer than its limit of " + limit.toMillis() + " ms and was stopped.");
    }

    static Problem abandoned(int attempts) {
        return Problem.of(
                "abandoned",
                "Job abandoned",
                500,
                "The job's worker stopped responding on each of its " + attempts + " attempts; it was given up.");
    }

    static Problem notStartedBeforeShutdown() {
        return Problem.of("shutdown", "Server shut down", 503, "The server shut down before the job could start.");
    }
}
