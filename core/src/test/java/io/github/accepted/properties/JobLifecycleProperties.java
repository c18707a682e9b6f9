package io.github.accepted.properties;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.IllegalTransitionException;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.Problem;
import io.github.accepted.Progress;
import io.github.accepted.RejectedJobException;
import io.github.accepted.internal.JobTransitions;
import io.github.accepted.spi.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of every change a job can undergo — claim, progress, cancel request, success,
 * failure, cancellation, requeue, removal, expiry and purge — each tried from a snapshot that may
 * be stale, against the in-memory store. Whatever the order: versions only grow, a terminal
 * state never changes, and each job gets at most one terminal transition.
 */
class JobLifecycleProperties {

    enum Move {
        CLAIM,
        PROGRESS,
        REQUEST_CANCEL,
        SUCCEED,
        FAIL,
        CANCEL,
        REQUEUE,
        DELETE,
        PURGE
    }

    record Step(Move move, int job, boolean stale) {}

    private static final Duration RETENTION = Duration.ofSeconds(10);
    private static final Problem WHY = Problem.of("job-failed", "Job failed", 500, "why");

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.of(Move.class), Arbitraries.integers().between(0, 4), Arbitraries.of(true, false))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 300)
    void anyOrderOfChanges_keepsTheInvariants(@ForAll("steps") List<Step> steps) {
        JobStore store = JobStore.inMemory(100, 100);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<JobId> ids = new ArrayList<>();
        Map<JobId, Job> previous = new HashMap<>();
        Map<JobId, Integer> terminalTransitions = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            Job job = Job.queued(JobId.random(), "t", "owner" + (i % 2), Payload.json("{}"), now);
            store.create(job);
            ids.add(job.id());
            previous.put(job.id(), job);
        }
        Map<JobId, Long> lastVersion = new HashMap<>();
        Map<JobId, JobStatus> terminalSeen = new HashMap<>();
        for (Step step : steps) {
            now = now.plusMillis(500);
            JobId id = ids.get(step.job());
            Optional<Job> stored = store.find(id);
            Job snapshot = step.stale() ? previous.get(id) : stored.orElse(previous.get(id));
            Job next;
            try {
                next = switch (step.move()) {
                    case CLAIM -> store.claimNext(now, java.util.Set.of("t")).orElse(null);
                    case PROGRESS -> JobTransitions.withProgress(snapshot, new Progress(40, "p"), now);
                    case REQUEST_CANCEL -> JobTransitions.withCancelRequested(snapshot, now);
                    case SUCCEED -> JobTransitions.succeeded(snapshot, Payload.json("1"), now, RETENTION);
                    case FAIL -> JobTransitions.failed(snapshot, WHY, now, RETENTION);
                    case CANCEL -> JobTransitions.canceled(snapshot, WHY, now, RETENTION);
                    case REQUEUE -> JobTransitions.requeued(snapshot, now);
                    case DELETE -> {
                        store.delete(snapshot);
                        yield null;
                    }
                    case PURGE -> {
                        store.purgeExpired(now.plus(RETENTION));
                        yield null;
                    }
                };
            } catch (IllegalTransitionException refused) {
                next = null;
            } catch (RejectedJobException full) {
                next = null;
            }
            if (next != null && step.move() != Move.CLAIM && store.replace(snapshot, next)) {
                if (next.status().isTerminal()) {
                    terminalTransitions.merge(id, 1, Integer::sum);
                }
            }
            if (step.move() == Move.CLAIM && next != null) {
                previous.put(next.id(), next);
            }
            stored.ifPresent(job -> previous.put(id, job));
            for (JobId each : ids) {
                Optional<Job> now2 = store.find(each);
                if (now2.isEmpty()) {
                    continue;
                }
                Job job = now2.get();
                Long before = lastVersion.put(each, job.version());
                assertThat(before == null || job.version() >= before)
                        .as("versions only grow")
                        .isTrue();
                JobStatus terminal = terminalSeen.get(each);
                if (terminal != null) {
                    assertThat(job.status())
                            .as("a terminal state never changes")
                            .isEqualTo(terminal);
                }
                if (job.status().isTerminal()) {
                    terminalSeen.put(each, job.status());
                }
            }
        }
        assertThat(terminalTransitions.values())
                .allSatisfy(count -> assertThat(count).isEqualTo(1));
    }
}
