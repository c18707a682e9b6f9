package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class JobIdTest {

    @Test
    void randomIds_carry128RandomBits_inUrlSafeText() {
        Set<String> seen = new HashSet<>();
        int[] bitCounts = new int[128];
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            JobId id = JobId.random();
            assertThat(id.value()).matches("[A-Za-z0-9_-]{22}");
            byte[] bytes = Base64.getUrlDecoder().decode(id.value());
            assertThat(bytes).hasSize(16);
            for (int bit = 0; bit < 128; bit++) {
                if ((bytes[bit / 8] >> (bit % 8) & 1) == 1) {
                    bitCounts[bit]++;
                }
            }
            seen.add(id.value());
        }
        assertThat(seen).hasSize(n);
        // every one of the 128 bits varies: each is set in roughly half of the ids (±5 sigma)
        for (int count : bitCounts) {
            assertThat(count).isBetween(n / 2 - 354, n / 2 + 354);
        }
    }

    @Test
    void idsMadeOnManyThreadsAtOnce_areAllDistinct() throws Exception {
        int threads = 8;
        int each = 10_000;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        seen.add(JobId.random().value());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(threads * each);
    }

    @Test
    void parse_acceptsOnlyWellFormedIds() {
        JobId id = JobId.random();
        assertThat(JobId.parse(id.value())).contains(id);
        assertThat(JobId.parse("")).isEmpty();
        assertThat(JobId.parse(null)).isEmpty();
        assertThat(JobId.parse("AAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(JobId.parse("AAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(JobId.parse("../../../etc/passwd....")).isEmpty();
        assertThat(JobId.parse("AAAAAAAAAAAAAAAAAAAAA=")).isEmpty();
        assertThat(JobId.parse("AAAAAAAAAAAAAAAAAAAAAé")).isEmpty();
        assertThat(JobId.parse("AAAAAAAAAAAAAAAAAAAAAB"))
                .as("non-canonical last character")
                .isEmpty();
        assertThatThrownBy(() -> new JobId("nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
