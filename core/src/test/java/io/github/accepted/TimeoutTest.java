package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Handlers that hang past their type's time limit end as failed with a timeout problem. */
class TimeoutTest {

    record Text(String text) {}

    private final CountDownLatch released = new CountDownLatch(1);
    private Accepted accepted;

    @AfterEach
    void close() {
        released.countDown();
        accepted.close();
    }

    /** A handler with a 200 ms limit that sleeps far longer. */
    static final class Sleeper implements JobHandler<Text, String> {
        @Override
        public String handle(Text input, JobContext context) throws InterruptedException {
            Thread.sleep(60_000);
            return "late";
        }

        @Override
        public Optional<Duration> timeout() {
            return Optional.of(Duration.ofMillis(200));
        }
    }

    /** A handler with a 200 ms limit that ignores interruption until released. */
    final class Stubborn implements JobHandler<Text, String> {
        @Override
        public String handle(Text input, JobContext context) {
            while (true) {
                try {
                    if (released.await(10, TimeUnit.SECONDS)) {
                        return "late";
                    }
                } catch (InterruptedException ignored) {
                    // ignores interruption on purpose
                }
            }
        }

        @Override
        public Optional<Duration> timeout() {
            return Optional.of(Duration.ofMillis(200));
        }
    }

    @Test
    void aHandlerPastItsLimit_isInterrupted_andTheJobFailsWithATimeoutProblem() {
        accepted =
                Accepted.builder().handler("sleepy", Text.class, new Sleeper()).build();
        JobId id = accepted.submit("sleepy", "alice", new Text("x")).id();
        Job failed = await().atMost(Duration.ofSeconds(20))
                .until(() -> accepted.find(id, "alice").orElseThrow(), job -> job.status()
                        .isTerminal());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().orElseThrow().type()).isEqualTo("urn:accepted:problem:timeout");
        assertThat(failed.error().orElseThrow().detail()).contains("200 ms");
    }

    @Test
    void aHandlerThatIgnoresInterruption_stillEndsItsJobOnTime_andItsLateResultIsIgnored() {
        accepted = Accepted.builder()
                .handler("stubborn", Text.class, new Stubborn())
                .build();
        JobId id = accepted.submit("stubborn", "alice", new Text("x")).id();
        Job failed = await().atMost(Duration.ofSeconds(5))
                .until(() -> accepted.find(id, "alice").orElseThrow(), job -> job.status()
                        .isTerminal());
        assertThat(failed.error().orElseThrow().type()).isEqualTo("urn:accepted:problem:timeout");
        released.countDown();
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(accepted.find(id, "alice").orElseThrow().status())
                .as("terminal states never change")
                .isEqualTo(JobStatus.FAILED);
    }
}
