package io.github.accepted.benchmarks;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.internal.JobTransitions;
import io.github.accepted.spi.JobStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heap bytes per retained finished job with a small result, measured (heap in use after full
 * collections, before and after filling), against the seed's hand-rolled pattern: a map of job
 * records.
 */
final class RetainedMemory {

    static final int JOBS = 200_000;

    /** The seed's job record: id, status, result, time. */
    record HandRolledJob(String id, String status, String result, Instant createdAt) {}

    private RetainedMemory() {}

    /** Bytes per job held by Accepted's in-memory store. */
    static long acceptedBytesPerJob() {
        long before = usedAfterGc();
        JobStore store = JobStore.inMemory(10, JOBS + 10);
        Instant now = Instant.now();
        for (int i = 0; i < JOBS; i++) {
            store.create(Job.queued(JobId.random(), "report", "alice", Payload.json("{\"n\":" + i + "}"), now));
            Job running = store.claimNext(now, java.util.Set.of("report")).orElseThrow();
            store.replace(
                    running, JobTransitions.succeeded(running, Payload.json("{\"ok\":true}"), now, Duration.ofDays(1)));
        }
        long after = usedAfterGc();
        keep(store);
        return (after - before) / JOBS;
    }

    /** Bytes per job in a hand-rolled {@code ConcurrentHashMap} of records. */
    static long handRolledBytesPerJob() {
        long before = usedAfterGc();
        Map<String, HandRolledJob> jobs = new ConcurrentHashMap<>();
        Instant now = Instant.now();
        for (int i = 0; i < JOBS; i++) {
            String id = UUID.randomUUID().toString();
            jobs.put(id, new HandRolledJob(id, "done", "{\"ok\":true}", now.plusNanos(i)));
        }
        long after = usedAfterGc();
        keep(jobs);
        return (after - before) / JOBS;
    }

    /** Read by nobody: a volatile write the JIT cannot drop, so the jobs stay reachable until measured. */
    @SuppressWarnings("UnusedVariable")
    private static volatile Object sink;

    private static void keep(Object o) {
        sink = o;
        sink = null;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
