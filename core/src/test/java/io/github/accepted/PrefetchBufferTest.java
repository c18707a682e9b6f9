package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefetchBufferTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static Job job() {
        return Job.queued(JobId.random(), "echo", "alice", Payload.json("{}"), T0);
    }

    @Test
    void jobsAreTakenOldestFirst_andCounted() {
        PrefetchBuffer buffer = new PrefetchBuffer();
        Job a = job();
        Job b = job();
        Job c = job();
        assertThat(buffer.keep(List.of(a, b))).isTrue();
        assertThat(buffer.keep(List.of(c))).isTrue();
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.take(0)).isEmpty();
        assertThat(buffer.take(2)).containsExactly(a, b);
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.take(5)).containsExactly(c);
        assertThat(buffer.size()).isZero();
    }

    @Test
    void aJobCanBeFoundAndTakenOutById() {
        PrefetchBuffer buffer = new PrefetchBuffer();
        Job a = job();
        Job b = job();
        buffer.keep(List.of(a, b));
        assertThat(buffer.contains(b.id())).isTrue();
        assertThat(buffer.version(b.id())).isEqualTo(b.version());
        assertThat(buffer.remove(b.id())).contains(b);
        assertThat(buffer.contains(b.id())).isFalse();
        assertThat(buffer.version(b.id())).isEqualTo(-1);
        assertThat(buffer.remove(b.id())).isEmpty();
        List<Job> leased = new ArrayList<>();
        buffer.addAllTo(leased);
        assertThat(leased).containsExactly(a);
    }

    @Test
    void closing_returnsWhatWaited_andKeepsNothingAfterwards() {
        PrefetchBuffer buffer = new PrefetchBuffer();
        Job a = job();
        buffer.keep(List.of(a));
        assertThat(buffer.close()).containsExactly(a);
        assertThat(buffer.size()).isZero();
        assertThat(buffer.keep(List.of(job())))
                .as("refused: the caller gives them back")
                .isFalse();
        assertThat(buffer.size()).isZero();
    }
}
