package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundTest {

    private final AtomicLong rows = new AtomicLong();
    private final AtomicInteger counts = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong();

    private Bound bound(long limit) {
        return new Bound(
                limit,
                () -> {
                    counts.incrementAndGet();
                    return rows.get();
                },
                clock::get);
    }

    @Test
    void farFromTheLimitTrustsOneCountPlusItsOwnInserts() {
        Bound bound = bound(1_000);
        rows.set(100);
        for (int i = 0; i < 50; i++) {
            assertThat(bound.hasRoom()).isTrue();
            rows.incrementAndGet();
            bound.inserted();
        }
        assertThat(counts).hasValue(1);
    }

    @Test
    void recountsOnceTheCountIsOlderThanTheRefreshPeriod() {
        Bound bound = bound(1_000);
        assertThat(bound.hasRoom()).isTrue();
        rows.set(500); // inserted by other instances
        clock.addAndGet(Bound.REFRESH_NANOS + 1);
        assertThat(bound.hasRoom()).isTrue();
        assertThat(counts).hasValue(2);
        assertThat(bound.hasRoom()).isTrue();
        assertThat(counts).hasValue(2);
    }

    @Test
    void nearTheLimitCountsEveryTimeSoTheLimitIsExact() {
        Bound bound = bound(100);
        rows.set(90);
        assertThat(bound.hasRoom()).isTrue();
        rows.set(99); // other instances inserted
        assertThat(bound.hasRoom()).isTrue();
        rows.set(100);
        assertThat(bound.hasRoom()).isFalse();
        assertThat(counts).hasValue(3);
        rows.set(70); // jobs finished or were purged
        assertThat(bound.hasRoom()).isTrue();
    }

    @Test
    void ownInsertsBringItToTheLimitWithoutOtherCounts() {
        Bound bound = bound(10);
        assertThat(bound.hasRoom()).isTrue();
        for (int i = 0; i < 10; i++) {
            rows.incrementAndGet();
            bound.inserted();
        }
        assertThat(bound.hasRoom()).isFalse();
    }

    @Test
    void anUnlimitedBoundNeverCounts() {
        Bound bound = bound(Integer.MAX_VALUE);
        assertThat(bound.hasRoom()).isTrue();
        assertThat(counts).hasValue(0);
    }
}
