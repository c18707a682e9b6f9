package io.github.accepted;

import io.github.accepted.spi.JobContextPropagator;
import io.github.accepted.spi.JobContextPropagator.RunScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What surrounds a run on its worker thread: the SLF4J MDC ({@code jobId}, {@code jobType},
 * {@code attempt}) and the propagators' scopes; and, at submit, what the propagators capture.
 * The worker's MDC is cleared before and after each run, so nothing of the thread that created
 * the worker (a request thread, with an inheritable MDC) or of an earlier job shows in its logs.
 */
final class RunScopes {

    /** MDC key of the job's id. */
    static final String MDC_JOB_ID = "jobId";
    /** MDC key of the job's type. */
    static final String MDC_JOB_TYPE = "jobType";
    /** MDC key of the attempt, from 1. */
    static final String MDC_ATTEMPT = "attempt";

    static final int MAX_KEY = 64;
    static final int MAX_VALUE = 512;

    private static final Logger LOG = LoggerFactory.getLogger(RunScopes.class);

    private final JobContextPropagator[] propagators;

    RunScopes(List<JobContextPropagator> propagators) {
        this.propagators = propagators.toArray(new JobContextPropagator[0]);
    }

    /** On the submitting thread: what every propagator captures, within the limits. */
    Map<String, String> capture(String type) {
        if (propagators.length == 0) {
            return Map.of();
        }
        Map<String, String> all = new HashMap<>();
        for (JobContextPropagator propagator : propagators) {
            try {
                propagator.capture(type).forEach((key, value) -> {
                    if (key.length() <= MAX_KEY && value.length() <= MAX_VALUE) {
                        all.put(key, value);
                    } else {
                        LOG.warn("propagator {} captured an entry {} past the limits; dropped", propagator, key);
                    }
                });
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("propagator {} failed to capture; the job carries no context from it", propagator, e);
            }
        }
        return all;
    }

    /** On the worker thread, before the handler. */
    Opened open(Job claimed) {
        MDC.clear();
        MDC.put(MDC_JOB_ID, claimed.id().value());
        MDC.put(MDC_JOB_TYPE, claimed.type());
        MDC.put(MDC_ATTEMPT, Integer.toString(claimed.attempt()));
        List<RunScope> scopes = new ArrayList<>(propagators.length);
        for (JobContextPropagator propagator : propagators) {
            try {
                scopes.add(propagator.open(claimed));
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("propagator {} failed to open the context of job {}", propagator, claimed.id(), e);
            }
        }
        return new Opened(scopes);
    }

    /** The scopes of one run, closed in reverse order, then the MDC cleared. */
    static final class Opened {

        private final List<RunScope> scopes;

        private Opened(List<RunScope> scopes) {
            this.scopes = scopes;
        }

        void close(Job last) {
            for (int i = scopes.size() - 1; i >= 0; i--) {
                try {
                    scopes.get(i).close(last);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("a propagator's scope failed to close for job {}", last.id(), e);
                }
            }
            MDC.clear();
        }
    }
}
