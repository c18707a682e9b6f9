package io.github.accepted.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.Problem;
import io.github.accepted.Progress;
import io.github.accepted.RejectedJobException;
import io.github.accepted.internal.JobTransitions;
import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.ListCursor;
import io.github.accepted.spi.ListQuery;
import io.github.accepted.spi.Page;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link JobStore} contract as tests. Every store extends this class and implements
 * {@link #newStore(int, int, int)}; the in-memory store and the PostgreSQL store both run it.
 *
 * <p>Timestamps here have microsecond precision: a store must keep at least that.
 */
public abstract class JobStoreContract {

    /** The type of the jobs made by {@link #newJob(String)}, and the types claims ask for. */
    protected static final Set<String> TYPES = Set.of("echo");

    /** Retention used for finished jobs in these tests. */
    protected static final Duration RETENTION = Duration.ofHours(1);

    private final List<JobStore> stores = new ArrayList<>();
    /** A store with room for 100 queued and 200 retained jobs, new for each test. */
    protected JobStore store;
    /** A moving "now" for the jobs made in a test. */
    protected Instant now = Instant.parse("2026-03-01T10:15:30.123456Z");

    /**
     * A new, empty store with these bounds.
     *
     * @param maxQueued         most queued jobs
     * @param maxRetained       most job records
     * @param maxQueuedPerOwner most queued jobs of one (non-anonymous) owner
     */
    protected abstract JobStore newStore(int maxQueued, int maxRetained, int maxQueuedPerOwner);

    @BeforeEach
    void createStore() {
        store = store(100, 200);
    }

    @AfterEach
    void closeStores() {
        stores.forEach(JobStore::close);
    }

    private JobStore store(int maxQueued, int maxRetained) {
        return store(maxQueued, maxRetained, maxQueued);
    }

    private JobStore store(int maxQueued, int maxRetained, int maxQueuedPerOwner) {
        JobStore created = newStore(maxQueued, maxRetained, maxQueuedPerOwner);
        stores.add(created);
        return created;
    }

    /** A new queued job of {@code owner}, created a microsecond after the previous one. */
    protected Job newJob(String owner) {
        now = now.plus(1, ChronoUnit.MICROS);
        return Job.queued(JobId.random(), "echo", owner, Payload.json("{\"text\":\"hi\"}"), now);
    }

    private Job created(String owner) {
        Job job = newJob(owner);
        store.create(job);
        return job;
    }

    private Job running(String owner) {
        created(owner);
        return store.claimNext(now, TYPES).orElseThrow();
    }

    @Test
    void create_thenFind_returnsTheSameJob() {
        Job job = created("alice");
        assertThat(store.find(job.id())).contains(job);
    }

    @Test
    void find_unknownId_isEmpty() {
        assertThat(store.find(JobId.random())).isEmpty();
    }

    @Test
    void create_sameIdTwice_isRefused() {
        Job job = created("alice");
        assertThatThrownBy(() -> store.create(job)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyField_survivesTheRoundTrip() {
        Job running = running("alice");
        Job progressed =
                JobTransitions.withProgress(running, new Progress(42, "page 2 of 5 — ünïcödé"), now.plusMillis(1));
        assertThat(store.replace(running, progressed)).isTrue();
        Job requested = JobTransitions.withCancelRequested(progressed, now.plusMillis(2));
        assertThat(store.replace(progressed, requested)).isTrue();
        Job done = JobTransitions.succeeded(
                requested,
                new Payload("application/pdf", new byte[] {0, 1, 2, (byte) 0xff}),
                now.plusMillis(3),
                RETENTION);
        assertThat(store.replace(requested, done)).isTrue();

        Job found = store.find(done.id()).orElseThrow();
        assertThat(found).isEqualTo(done);
        assertThat(found.result().orElseThrow().bytes()).containsExactly(0, 1, 2, 0xff);
        assertThat(found.expiresAt()).contains(now.plusMillis(3).plus(RETENTION));

        Job failing = running("bob");
        Job failed = JobTransitions.failed(failing, Problem.of("job-failed", "Job failed", 500, "why"), now, RETENTION);
        assertThat(store.replace(failing, failed)).isTrue();
        assertThat(store.find(failed.id())).contains(failed);
    }

    @Test
    void create_pastMaxQueued_isRefusedWithQueueFull_andStoresNothing() {
        store = store(2, 10);
        created("alice");
        created("alice");
        Job third = newJob("alice");
        assertThatThrownBy(() -> store.create(third))
                .isInstanceOfSatisfying(RejectedJobException.class, e -> assertThat(e.reason())
                        .isEqualTo(RejectedJobException.Reason.QUEUE_FULL));
        assertThat(store.find(third.id())).isEmpty();
    }

    /**
     * Issue 19, item 8: one owner queued 10,000 jobs in 3 s, and every other owner was refused
     * for the next 14 hours.
     */
    @Test
    void create_pastAnOwnersBound_isRefusedForThatOwnerOnly_untilOneOfItsJobsLeavesTheQueue() {
        store = store(10, 20, 2);
        created("alice");
        created("alice");
        Job third = newJob("alice");
        assertThatThrownBy(() -> store.create(third)).isInstanceOfSatisfying(RejectedJobException.class, e -> {
            assertThat(e.reason()).isEqualTo(RejectedJobException.Reason.OWNER_QUEUE_FULL);
            assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(60));
        });
        assertThat(store.find(third.id())).isEmpty();
        assertThatThrownBy(() -> store.createIdempotent(newJob("alice"), key("k", "f")))
                .isInstanceOfSatisfying(RejectedJobException.class, e -> assertThat(e.reason())
                        .isEqualTo(RejectedJobException.Reason.OWNER_QUEUE_FULL));

        created("bob");
        for (int i = 0; i < 3; i++) {
            created(""); // anonymous jobs are not bounded per owner
        }
        assertThat(store.claimNext(now, TYPES).orElseThrow().owner()).isEqualTo("alice");
        Job again = created("alice");
        assertThat(store.find(again.id())).isPresent();
    }

    @Test
    void queueFull_retryAfter_followsHowFastTheQueueDrained() {
        store = store(4, 20);
        for (int i = 0; i < 4; i++) {
            created("alice");
        }
        RejectedJobException idle = refusal(newJob("bob"));
        assertThat(idle.reason()).isEqualTo(RejectedJobException.Reason.QUEUE_FULL);
        assertThat(idle.retryAfter()).as("nothing left the queue lately").isEqualTo(Duration.ofSeconds(60));

        assertThat(store.claim(now, 4, TYPES)).hasSize(4);
        for (int i = 0; i < 4; i++) {
            created("bob");
        }
        RejectedJobException draining = refusal(newJob("carol"));
        assertThat(draining.reason()).isEqualTo(RejectedJobException.Reason.QUEUE_FULL);
        assertThat(draining.retryAfter())
                .as("4 jobs left within the last seconds")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1))
                .isLessThan(idle.retryAfter());
    }

    private RejectedJobException refusal(Job job) {
        try {
            store.create(job);
        } catch (RejectedJobException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void claiming_freesQueueCapacity() {
        store = store(1, 10);
        created("alice");
        assertThat(store.claimNext(now, TYPES)).isPresent();
        Job next = newJob("alice");
        store.create(next);
        assertThat(store.find(next.id())).isPresent();
    }

    @Test
    void create_pastMaxRetained_isRefusedWithStoreFull_untilExpiredJobsArePurged() {
        store = store(3, 3);
        for (int i = 0; i < 3; i++) {
            Job running = running("alice");
            assertThat(store.replace(
                            running, JobTransitions.succeeded(running, Payload.json("1"), now, Duration.ofSeconds(1))))
                    .isTrue();
        }
        Job fourth = newJob("alice");
        assertThatThrownBy(() -> store.create(fourth))
                .isInstanceOfSatisfying(RejectedJobException.class, e -> assertThat(e.reason())
                        .isEqualTo(RejectedJobException.Reason.STORE_FULL));

        now = now.plusSeconds(2);
        assertThat(store.purgeExpired(now)).isEqualTo(3);
        Job fifth = newJob("alice");
        store.create(fifth);
        assertThat(store.find(fifth.id())).isPresent();
    }

    /** A store may implement createClaimed in one step or fall back to create (the default). */
    @Test
    void createClaimed_storesTheJobRunning_notClaimableAgain_orElseQueued() {
        Job job = newJob("alice");
        Optional<Job> claimed = store.createClaimed(job, now);
        if (claimed.isEmpty()) {
            assertThat(store.find(job.id())).contains(job);
            return;
        }
        Job running = claimed.get();
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.version()).isEqualTo(2);
        assertThat(running.attempt()).isEqualTo(1);
        assertThat(running.startedAt()).contains(now);
        assertThat(store.find(job.id())).contains(running);
        assertThat(store.claim(now, 10, TYPES)).isEmpty();
        assertThat(store.list(new ListQuery("alice", Set.of(), Optional.empty(), 10))
                        .jobs())
                .extracting(Job::id)
                .containsExactly(job.id());
        Job done = JobTransitions.succeeded(running, Payload.json("1"), now, RETENTION);
        assertThat(store.replace(running, done)).isTrue();
        assertThat(store.find(job.id())).contains(done);
    }

    @Test
    void createClaimed_needsNoRoomInTheQueue_butRoomInTheStore() {
        store = store(1, 2);
        created("alice");
        Job second = newJob("alice");
        Optional<Job> claimed;
        try {
            claimed = store.createClaimed(second, now);
        } catch (RejectedJobException e) {
            assertThat(e.reason())
                    .as("only a store that queues it instead may refuse")
                    .isEqualTo(RejectedJobException.Reason.QUEUE_FULL);
            return;
        }
        assertThat(claimed).isPresent();
        Job third = newJob("alice");
        assertThatThrownBy(() -> store.createClaimed(third, now))
                .isInstanceOfSatisfying(RejectedJobException.class, e -> assertThat(e.reason())
                        .isEqualTo(RejectedJobException.Reason.STORE_FULL));
        assertThat(store.find(third.id())).isEmpty();
    }

    @Test
    void createClaimed_sameIdTwice_isRefused() {
        Job job = newJob("alice");
        store.create(job);
        assertThatThrownBy(() -> store.createClaimed(job, now)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find(job.id())).contains(job);
    }

    @Test
    void replace_withCurrentVersion_succeeds() {
        Job running = running("alice");
        Job next = JobTransitions.withProgress(running, new Progress(10, "x"), now);
        assertThat(store.replace(running, next)).isTrue();
        assertThat(store.find(running.id())).contains(next);
    }

    @Test
    void replace_withStaleVersion_fails_andKeepsTheStoredJob() {
        Job running = running("alice");
        Job first = JobTransitions.withProgress(running, new Progress(10, "first"), now);
        assertThat(store.replace(running, first)).isTrue();
        Job stale = JobTransitions.withProgress(running, new Progress(20, "stale"), now);
        assertThat(store.replace(running, stale)).isFalse();
        assertThat(store.find(running.id())).contains(first);
    }

    @Test
    void replace_ofAMissingJob_fails() {
        Job job = newJob("alice");
        assertThat(store.replace(
                        job,
                        JobTransitions.canceled(
                                job, Problem.of("job-canceled", "Job canceled", 409, ""), now, RETENTION)))
                .isFalse();
        assertThat(store.find(job.id())).isEmpty();
    }

    @Test
    void replaceAsync_withCurrentVersion_completesTrue_andTheChangeIsStored() throws Exception {
        Job running = running("alice");
        Job next = JobTransitions.succeeded(running, Payload.json("{\"n\":1}"), now, RETENTION);
        assertThat(store.replaceAsync(running, next).get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(store.find(running.id())).contains(next);
    }

    @Test
    void replaceAsync_withStaleVersion_completesFalse_andKeepsTheStoredJob() throws Exception {
        Job running = running("alice");
        Job first = JobTransitions.withProgress(running, new Progress(10, "first"), now);
        assertThat(store.replace(running, first)).isTrue();
        Job stale = JobTransitions.succeeded(running, Payload.json("1"), now, RETENTION);
        assertThat(store.replaceAsync(running, stale).get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(store.find(running.id())).contains(first);
    }

    @Test
    void replaceAsync_ofManyJobsAtOnce_completesEachWithItsOwnOutcome() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(running("alice"));
        }
        Job moved = JobTransitions.withProgress(jobs.get(7), new Progress(5, "moved on"), now);
        assertThat(store.replace(jobs.get(7), moved)).isTrue();
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        List<Job> outcomes = new ArrayList<>();
        for (Job job : jobs) {
            Job outcome =
                    JobTransitions.succeeded(job, Payload.json("\"" + job.id().value() + "\""), now, RETENTION);
            outcomes.add(outcome);
            written.add(store.replaceAsync(job, outcome));
        }
        for (int i = 0; i < jobs.size(); i++) {
            assertThat(written.get(i).get(30, TimeUnit.SECONDS)).as("job %d", i).isEqualTo(i != 7);
            assertThat(store.find(jobs.get(i).id())).contains(i == 7 ? moved : outcomes.get(i));
        }
    }

    @Test
    void close_writesTheChangesQueuedWithReplaceAsync() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(running("alice"));
        }
        List<CompletableFuture<Boolean>> written = new ArrayList<>();
        for (Job job : jobs) {
            written.add(store.replaceAsync(job, JobTransitions.succeeded(job, Payload.json("1"), now, RETENTION)));
        }
        store.close();
        for (CompletableFuture<Boolean> future : written) {
            assertThat(future).isCompletedWithValue(true);
        }
        for (Job job : jobs) {
            assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    @Test
    void claimNext_onEmptyStore_isEmpty() {
        assertThat(store.claimNext(now, TYPES)).isEmpty();
    }

    @Test
    void claimNext_returnsTheOldestQueuedJob_running_withAttemptOne() {
        Job first = created("alice");
        created("bob");
        Job claimed = store.claimNext(now, TYPES).orElseThrow();
        assertThat(claimed.id()).isEqualTo(first.id());
        assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.version()).isEqualTo(2);
        assertThat(store.find(first.id())).contains(claimed);
    }

    @Test
    void release_givesClaimedJobsBackToTheQueue_withoutCountingTheAttempt_andOnlyAtTheirVersion() {
        Job first = created("alice");
        Job second = created("alice");
        Job third = created("alice");
        List<Job> claimed = store.claim(now, 3, TYPES);
        assertThat(claimed).hasSize(3);
        Job changed = JobTransitions.withCancelRequested(claimed.get(2), now);
        assertThat(store.replace(claimed.get(2), changed)).isTrue();

        now = now.plusSeconds(1);
        assertThat(store.release(claimed, now))
                .as("the third changed since its claim")
                .isEqualTo(2);

        for (Job job : List.of(first, second)) {
            Job released = store.find(job.id()).orElseThrow();
            assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(released.attempt()).isZero();
            assertThat(released.startedAt()).isEmpty();
        }
        assertThat(store.find(third.id()).orElseThrow()).isEqualTo(changed);
        Job again = store.claimNext(now, TYPES).orElseThrow();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.attempt()).isEqualTo(1);
    }

    @Test
    void claimNext_skipsJobsCanceledWhileQueued() {
        Job canceled = created("alice");
        Job waiting = created("alice");
        assertThat(store.replace(
                        canceled,
                        JobTransitions.canceled(
                                canceled, Problem.of("job-canceled", "Job canceled", 409, ""), now, RETENTION)))
                .isTrue();
        assertThat(store.claimNext(now, TYPES).map(Job::id)).contains(waiting.id());
        assertThat(store.claimNext(now, TYPES)).isEmpty();
    }

    @Test
    void requeuedJob_isClaimedAgain_asItsNextAttempt() {
        Job running = running("alice");
        assertThat(store.replace(running, JobTransitions.requeued(running, now)))
                .isTrue();
        Job again = store.claimNext(now, TYPES).orElseThrow();
        assertThat(again.id()).isEqualTo(running.id());
        assertThat(again.attempt()).isEqualTo(2);
    }

    /**
     * Issue 19, item 13: claims ignored the job type, so during a rolling deploy that added a
     * type, the old instances claimed the new type's jobs and failed them for good.
     */
    @Test
    void claim_takesOnlyJobsOfTheTypesAsked_oldestFirstAcrossThem() {
        Job report = createdOfType("report");
        Job echo = created("alice");
        Job laterReport = createdOfType("report");

        assertThat(store.claimNext(now, Set.of("other"))).isEmpty();
        assertThat(store.claim(now, 10, TYPES)).extracting(Job::id).containsExactly(echo.id());
        assertThat(store.claimNext(now, TYPES)).isEmpty();
        assertThat(store.find(report.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);

        Job another = created("alice");
        assertThat(store.claim(now, 10, Set.of("echo", "report")))
                .extracting(Job::id)
                .containsExactly(report.id(), laterReport.id(), another.id());
    }

    private Job createdOfType(String type) {
        now = now.plus(1, ChronoUnit.MICROS);
        Job job = Job.queued(JobId.random(), type, "alice", Payload.json("{}"), now);
        store.create(job);
        return job;
    }

    @Test
    void claimNext_fromManyThreads_claimsEachJobExactlyOnce() throws Exception {
        int jobs = 100;
        for (int i = 0; i < jobs; i++) {
            created("alice");
        }
        Set<JobId> claimed = ConcurrentHashMap.newKeySet();
        AtomicInteger claims = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (Optional<Job> next = store.claimNext(now, TYPES);
                            next.isPresent();
                            next = store.claimNext(now, TYPES)) {
                        claimed.add(next.get().id());
                        claims.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(claims.get()).isEqualTo(jobs);
        assertThat(claimed).hasSize(jobs);
    }

    @Test
    void racingChanges_exactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 200; i++) {
                Job running = running("alice");
                Job succeeded = JobTransitions.succeeded(running, Payload.json("1"), now, RETENTION);
                Job canceled = JobTransitions.canceled(
                        running, Problem.of("job-canceled", "Job canceled", 409, ""), now, RETENTION);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Boolean> a = pool.submit(() -> {
                    start.await();
                    return store.replace(running, succeeded);
                });
                Future<Boolean> b = pool.submit(() -> {
                    start.await();
                    return store.replace(running, canceled);
                });
                boolean aWon = a.get(10, TimeUnit.SECONDS);
                boolean bWon = b.get(10, TimeUnit.SECONDS);
                assertThat(aWon ^ bWon)
                        .as("exactly one of two racing changes wins")
                        .isTrue();
                assertThat(store.find(running.id())).contains(aWon ? succeeded : canceled);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void delete_withCurrentVersion_removes_staleVersionDoesNot() {
        Job job = created("alice");
        Job canceled =
                JobTransitions.canceled(job, Problem.of("job-canceled", "Job canceled", 409, ""), now, RETENTION);
        assertThat(store.replace(job, canceled)).isTrue();
        assertThat(store.delete(job)).isFalse();
        assertThat(store.find(job.id())).isPresent();
        assertThat(store.delete(canceled)).isTrue();
        assertThat(store.find(job.id())).isEmpty();
        assertThat(store.list(new ListQuery("alice", Set.of(), Optional.empty(), 10))
                        .jobs())
                .isEmpty();
    }

    @Test
    void list_showsOnlyTheOwnersJobs_newestFirst() {
        Job a1 = created("alice");
        created("bob");
        Job a2 = created("alice");
        created("");
        Job a3 = created("alice");
        Page page = store.list(new ListQuery("alice", Set.of(), Optional.empty(), 10));
        assertThat(page.jobs()).extracting(Job::id).containsExactly(a3.id(), a2.id(), a1.id());
        assertThat(page.next()).isEmpty();
    }

    @Test
    void list_filtersByStatus() {
        Job running = running("alice");
        Job queued = created("alice");
        Page page = store.list(new ListQuery("alice", Set.of(JobStatus.RUNNING), Optional.empty(), 10));
        assertThat(page.jobs()).extracting(Job::id).containsExactly(running.id());
        page = store.list(new ListQuery("alice", Set.of(JobStatus.QUEUED, JobStatus.RUNNING), Optional.empty(), 10));
        assertThat(page.jobs()).extracting(Job::id).containsExactlyInAnyOrder(queued.id(), running.id());
    }

    @Test
    void list_pagesThroughEveryJobOnce_evenWithEqualCreationTimes() {
        Set<JobId> all = new HashSet<>();
        Instant same = now.plusSeconds(1);
        for (int i = 0; i < 25; i++) {
            Job job = i % 2 == 0
                    ? newJob("alice")
                    : Job.queued(JobId.random(), "echo", "alice", Payload.json("{}"), same);
            store.create(job);
            all.add(job.id());
        }
        List<JobId> seen = new ArrayList<>();
        Optional<ListCursor> after = Optional.empty();
        int pages = 0;
        do {
            Page page = store.list(new ListQuery("alice", Set.of(), after, 7));
            page.jobs().forEach(job -> seen.add(job.id()));
            after = page.next();
            pages++;
        } while (after.isPresent() && pages < 10);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(all);
        assertThat(pages).isEqualTo(4);
    }

    private static IdempotencyKey key(String key, String fingerprint) {
        return new IdempotencyKey("alice\nPOST /api/echo", key, fingerprint);
    }

    @Test
    void createIdempotent_createsOnce_thenReturnsTheJobTheKeyNames() {
        Job first = newJob("alice");
        KeyedCreate created = store.createIdempotent(first, key("k1", "f1"));
        assertThat(created.created()).isTrue();
        assertThat(created.job()).isEqualTo(first);

        Job second = newJob("alice");
        KeyedCreate repeated = store.createIdempotent(second, key("k1", "f2"));
        assertThat(repeated.created()).isFalse();
        assertThat(repeated.job().id()).isEqualTo(first.id());
        assertThat(repeated.fingerprint())
                .as("the fingerprint stored with the key")
                .isEqualTo("f1");
        assertThat(store.find(second.id())).isEmpty();

        KeyedCreate otherScope = store.createIdempotent(second, new IdempotencyKey("bob\nPOST /api/echo", "k1", "f1"));
        assertThat(otherScope.created()).isTrue();
    }

    @Test
    void createIdempotent_fromManyThreads_createsExactlyOneJob() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<KeyedCreate>> outcomes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Job candidate = newJob("alice");
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return store.createIdempotent(candidate, key("race", "f"));
                }));
            }
            Set<JobId> named = new HashSet<>();
            int created = 0;
            for (Future<KeyedCreate> outcome : outcomes) {
                KeyedCreate result = outcome.get(60, TimeUnit.SECONDS);
                named.add(result.job().id());
                created += result.created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
            assertThat(named).hasSize(1);
            assertThat(store.list(new ListQuery("alice", Set.of(), Optional.empty(), 100))
                            .jobs())
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void createIdempotent_whenFull_refuses_andLeavesTheKeyFree() {
        store = store(1, 10);
        created("alice");
        Job refused = newJob("alice");
        assertThatThrownBy(() -> store.createIdempotent(refused, key("k", "f")))
                .isInstanceOf(RejectedJobException.class);
        assertThat(store.claimNext(now, TYPES)).isPresent();
        Job later = newJob("alice");
        assertThat(store.createIdempotent(later, key("k", "f")).created()).isTrue();
    }

    @Test
    void idempotencyKey_isFreedWithItsJobsRecord() {
        Job job = newJob("alice");
        store.createIdempotent(job, key("k", "f"));
        Job canceled = JobTransitions.canceled(
                job, Problem.of("job-canceled", "Job canceled", 409, ""), now, Duration.ofSeconds(1));
        assertThat(store.replace(job, canceled)).isTrue();
        assertThat(store.purgeExpired(now.plusSeconds(2))).isEqualTo(1);
        Job again = newJob("alice");
        KeyedCreate outcome = store.createIdempotent(again, key("k", "f2"));
        assertThat(outcome.created()).isTrue();
        assertThat(outcome.job().id()).isEqualTo(again.id());
    }

    /**
     * Issue 19, item 10: the in-memory store made room for a keyed job inside its key map's
     * {@code compute}, and the purge deleted an expired keyed job from the same map: a recursive
     * update, which lost the new key. "Aa" and "BB" have the same string hash, so their keys
     * share a bucket of any hash map.
     */
    @Test
    void createIdempotent_thatPurgesAnExpiredKeyedJob_keepsTheNewKey() {
        store = store(2, 2);
        Job old = newJob("alice");
        store.createIdempotent(old, key("Aa", "f"));
        Job running = store.claimNext(now, TYPES).orElseThrow();
        assertThat(store.replace(
                        running, JobTransitions.succeeded(running, Payload.json("1"), now, Duration.ofSeconds(1))))
                .isTrue();
        created("alice");
        now = now.plusSeconds(2);

        Job fresh = newJob("alice");
        KeyedCreate first = store.createIdempotent(fresh, key("BB", "f"));
        assertThat(first.created()).isTrue();
        assertThat(store.find(old.id())).as("purged to make room").isEmpty();

        KeyedCreate again = store.createIdempotent(newJob("alice"), key("BB", "f"));
        assertThat(again.created()).isFalse();
        assertThat(again.job().id()).isEqualTo(fresh.id());
    }

    /**
     * Listeners may be called on another thread, later (a database notification, say), and a
     * store may fold changes of one job that come close together into one call: each change is
     * heard at least once after it was made, so each step below waits for the count to grow.
     */
    @Test
    void onChange_hearsEveryReplaceAndDelete_andNoFailedChange() {
        List<JobId> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        store.onChange(heard::add);
        Job running = running("alice");
        Job done = JobTransitions.succeeded(running, Payload.json("1"), now, RETENTION);
        long beforeReplace = count(heard, done.id());
        assertThat(store.replace(running, done)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(heard, done.id()) > beforeReplace);
        long beforeDelete = count(heard, done.id());
        assertThat(store.delete(done)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(heard, done.id()) > beforeDelete);

        long before = count(heard, done.id());
        assertThat(store.replace(running, done)).isFalse();
        // a fence: changes are heard in the order they were made, so once a job created after the
        // failed replace is heard, a change announced for that replace would have been heard too
        Job marker = running("bob");
        await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains(marker.id()));
        assertThat(count(heard, done.id()))
                .as("a failed compare-and-set is no change")
                .isEqualTo(before);
    }

    private static long count(List<JobId> heard, JobId id) {
        return heard.stream().filter(id::equals).count();
    }

    @Test
    void purgeExpired_removesOnlyJobsPastTheirExpiry() {
        Job shortLived = running("alice");
        Job longLived = running("alice");
        Job stillQueued = created("alice");
        assertThat(store.replace(
                        shortLived,
                        JobTransitions.succeeded(shortLived, Payload.json("1"), now, Duration.ofMinutes(1))))
                .isTrue();
        assertThat(store.replace(
                        longLived, JobTransitions.succeeded(longLived, Payload.json("2"), now, Duration.ofHours(2))))
                .isTrue();
        assertThat(store.purgeExpired(now.plusSeconds(59))).isZero();
        assertThat(store.purgeExpired(now.plusSeconds(60))).isEqualTo(1);
        assertThat(store.find(shortLived.id())).isEmpty();
        assertThat(store.find(longLived.id())).isPresent();
        assertThat(store.find(stillQueued.id())).isPresent();
    }
}
