package io.github.accepted.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueueDrainTest {

    private final AtomicLong nanos = new AtomicLong(5_000_000_000_000L);
    private final QueueDrain drain = new QueueDrain(nanos::get);

    private void advanceSeconds(long seconds) {
        nanos.addAndGet(seconds * 1_000_000_000L);
    }

    @Test
    void nothingDrainedLately_givesTheLongestWait() {
        assertThat(drain.retryAfter(10)).isEqualTo(QueueDrain.MAX_RETRY_AFTER);
    }

    @Test
    void theWait_isTheBacklogOverTheRecentRate_withinItsBounds() {
        for (int s = 0; s < 10; s++) {
            advanceSeconds(1);
            drain.departed(20); // 20 jobs a second
        }
        assertThat(drain.retryAfter(200)).isEqualTo(Duration.ofSeconds(10));
        assertThat(drain.retryAfter(5)).isEqualTo(QueueDrain.MIN_RETRY_AFTER);
        assertThat(drain.retryAfter(10_000)).isEqualTo(QueueDrain.MAX_RETRY_AFTER);
    }

    @Test
    void departuresOlderThanTheWindow_areForgotten() {
        drain.departed(1_000);
        advanceSeconds(QueueDrain.WINDOW_SECONDS + 1);
        assertThat(drain.retryAfter(10)).isEqualTo(QueueDrain.MAX_RETRY_AFTER);
    }
}
