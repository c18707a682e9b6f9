package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class JobTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final Problem WHY = Problem.of("job-failed", "Job failed", 500, "why");

    private static Job queued() {
        return Job.queued(JobId.random(), "echo", "alice", Payload.json("{}"), T0);
    }

    @Test
    void newJob_isQueued_atVersionOne_neverRun() {
        Job job = queued();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.version()).isEqualTo(1);
        assertThat(job.attempt()).isZero();
        assertThat(job.expiresAt()).isEmpty();
    }

    @Test
    void everyTransition_growsTheVersionByOne_andStampsUpdatedAt() {
        Instant t1 = T0.plusSeconds(1);
        Job running = queued().claimed(t1);
        assertThat(running.version()).isEqualTo(2);
        assertThat(running.attempt()).isEqualTo(1);
        assertThat(running.startedAt()).contains(t1);
        Job progressed = running.withProgress(new Progress(30, "a third"), T0.plusSeconds(2));
        assertThat(progressed.version()).isEqualTo(3);
        assertThat(progressed.updatedAt()).isEqualTo(T0.plusSeconds(2));
        Job succeeded = progressed.succeeded(Payload.json("1"), T0.plusSeconds(3), RETENTION);
        assertThat(succeeded.version()).isEqualTo(4);
        assertThat(succeeded.finishedAt()).contains(T0.plusSeconds(3));
        assertThat(succeeded.expiresAt()).contains(T0.plusSeconds(3).plus(RETENTION));
        assertThat(succeeded.progress().percent()).isEqualTo(100);
    }

    @Test
    void terminalJobs_refuseEveryTransition() {
        Job running = queued().claimed(T0);
        List<Job> terminal = List.of(
                running.succeeded(Payload.json("1"), T0, RETENTION),
                running.failed(WHY, T0, RETENTION),
                running.canceled(WHY, T0, RETENTION),
                queued().canceled(WHY, T0, RETENTION));
        List<UnaryOperator<Job>> moves = List.of(
                job -> job.claimed(T0),
                job -> job.withProgress(Progress.NONE, T0),
                job -> job.withCancelRequested(T0),
                job -> job.requeued(T0),
                job -> job.succeeded(Payload.json("2"), T0, RETENTION),
                job -> job.failed(WHY, T0, RETENTION),
                job -> job.canceled(WHY, T0, RETENTION));
        for (Job job : terminal) {
            for (UnaryOperator<Job> move : moves) {
                assertThatThrownBy(() -> move.apply(job))
                        .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                            assertThat(e.jobId()).isEqualTo(job.id());
                            assertThat(e.from()).isEqualTo(job.status());
                        });
            }
        }
    }

    @Test
    void queuedJob_cannotSucceedOrFailWithoutRunning() {
        Job job = queued();
        assertThatThrownBy(() -> job.succeeded(Payload.json("1"), T0, RETENTION))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> job.failed(WHY, T0, RETENTION)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> job.withProgress(Progress.NONE, T0)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> job.requeued(T0)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> job.withCancelRequested(T0)).isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void runningJob_cannotBeClaimedAgain() {
        Job running = queued().claimed(T0);
        assertThatThrownBy(() -> running.claimed(T0)).isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void requeue_keepsTheAttemptCount_andTheNextClaimIncrementsIt() {
        Job again = queued().claimed(T0).requeued(T0).claimed(T0);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.version()).isEqualTo(4);
    }

    @Test
    void expiry_isAtOrAfterExpiresAt() {
        Job done = queued().claimed(T0).succeeded(Payload.json("1"), T0, Duration.ofMinutes(1));
        assertThat(done.isExpiredAt(T0.plusSeconds(59))).isFalse();
        assertThat(done.isExpiredAt(T0.plusSeconds(60))).isTrue();
        assertThat(queued().isExpiredAt(Instant.MAX)).isFalse();
    }

    @Test
    void progress_andPayload_validateTheirValues() {
        assertThatThrownBy(() -> new Progress(101, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Progress(-1, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Progress(1, "x".repeat(501))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Payload("text/plain\r\nX-Evil: 1", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] bytes = {1, 2};
        Payload payload = new Payload("application/octet-stream", bytes);
        bytes[0] = 9;
        assertThat(payload.bytes()).containsExactly(1, 2);
        assertThat(Payload.json("{}").isJson()).isTrue();
        assertThat(new Payload("application/problem+json; charset=utf-8", bytes).isJson())
                .isTrue();
        assertThat(new Payload("text/plain", bytes).isJson()).isFalse();
    }

    @Test
    void restore_rebuildsAStoredJob_equalToTheOneWritten() {
        Job done = queued().claimed(T0)
                .withProgress(new Progress(50, "half"), T0)
                .withMetadata(Payload.json("{\"rows\":1}"), T0)
                .succeeded(Payload.json("1"), T0.plusSeconds(1), RETENTION);
        Job read = Job.restore()
                .id(done.id())
                .type(done.type())
                .owner(done.owner())
                .status(done.status())
                .version(done.version())
                .attempt(done.attempt())
                .progress(done.progress())
                .metadata(done.metadata().orElse(null))
                .input(done.input())
                .result(done.result().orElse(null))
                .error(done.error().orElse(null))
                .cancelRequested(done.cancelRequested())
                .createdAt(done.createdAt())
                .updatedAt(done.updatedAt())
                .startedAt(done.startedAt().orElse(null))
                .finishedAt(done.finishedAt().orElse(null))
                .expiresAt(done.expiresAt().orElse(null))
                .propagation(done.propagation())
                .build();
        assertThat(read).isEqualTo(done).hasSameHashCodeAs(done).hasToString(done.toString());
    }

    @Test
    void restore_defaultsWhatAJobThatNeverRanLacks_andRequiresTheRest() {
        Job job = queued();
        Job read = Job.restore()
                .id(job.id())
                .type(job.type())
                .owner(job.owner())
                .status(JobStatus.QUEUED)
                .version(1)
                .input(job.input())
                .createdAt(T0)
                .updatedAt(T0)
                .build();
        assertThat(read).isEqualTo(job);
        assertThatThrownBy(() -> Job.restore().id(job.id()).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("type");
        assertThatThrownBy(() -> Job.restore()
                        .id(job.id())
                        .type("t")
                        .owner(Job.ANONYMOUS)
                        .status(JobStatus.QUEUED)
                        .input(job.input())
                        .createdAt(T0)
                        .updatedAt(T0)
                        .build())
                .as("the version was not given")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
