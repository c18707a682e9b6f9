package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.RejectedJobException;
import io.github.accepted.internal.JobTransitions;
import io.github.accepted.spi.IdempotencyKey;
import io.github.accepted.spi.KeyedCreate;
import io.github.accepted.spi.StoreFailureException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: concurrent writes of one store share a statement and a commit, and a row that
 * fails answers its own caller only. To make rows really share a flush, the table is locked
 * ({@code LOCK TABLE … IN EXCLUSIVE MODE}, reads still pass) while two writes are in flight:
 * those two wait for the lock, every write that arrives meanwhile waits in the buffer, and when
 * the lock goes they are written in one flush, counted by the store.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupCommitTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private Instant now = Instant.parse("2026-12-01T10:00:00.000001Z");

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void aBatchWithConflictingAndBadRows_answersEachOfThoseCallersAlone_andWritesTheOthersInOneFlush()
            throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        try (PostgresJobStore store =
                        PostgresJobStore.builder(pool).maxQueuedPerOwner(2).build();
                Connection blocker = pool.getConnection()) {
            Job keyed = newJob("alice");
            assertThat(store.createIdempotent(keyed, key("taken")).created()).isTrue();
            Job existing = newJob("");
            store.create(existing);
            store.create(newJob("bob"));
            store.create(newJob("bob")); // bob is at his bound of 2 queued jobs

            holdWrites(blocker);
            long setUp = store.submitFlushes();
            List<Future<Object>> inFlight =
                    List.of(async(() -> create(store, newJob(""))), async(() -> create(store, newJob(""))));
            await().until(() -> store.submitFlushes() == setUp + 2); // both taken, each alone, both held

            List<Job> fine = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fine.add(newJob(i % 2 == 0 ? "" : "carol" + i));
            }
            Job keyedAgain = newJob("alice");
            Job freshKey = newJob("dave");
            Job overBound = newJob("bob");
            Job bad = Job.queued(JobId.random(), "echo\u0000", "", Payload.json("{}"), now);
            CyclicBarrier start = new CyclicBarrier(15);
            List<Future<Object>> good = new ArrayList<>();
            for (Job job : fine) {
                good.add(async(() -> {
                    start.await();
                    return create(store, job);
                }));
            }
            Future<Object> sameKey = async(() -> {
                start.await();
                return store.createIdempotent(keyedAgain, key("taken"));
            });
            Future<Object> newKey = async(() -> {
                start.await();
                return store.createIdempotent(freshKey, key("fresh"));
            });
            Future<Object> sameId = async(() -> {
                start.await();
                return create(store, existing);
            });
            Future<Object> ownerFull = async(() -> {
                start.await();
                return create(store, overBound);
            });
            Future<Object> badRow = async(() -> {
                start.await();
                return create(store, bad);
            });
            // all but the submit over its owner's bound wait behind the two flushes in flight
            await().untilAsserted(() -> assertThat(store.bufferedSubmits()).isEqualTo(2 + 14));
            long flushesBefore = store.submitFlushes();
            blocker.commit();

            for (Future<Object> f : inFlight) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOf(Job.class);
            }
            for (Future<Object> f : good) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOf(Job.class);
            }
            KeyedCreate taken = (KeyedCreate) sameKey.get(30, TimeUnit.SECONDS);
            assertThat(taken.created()).isFalse();
            assertThat(taken.job().id()).isEqualTo(keyed.id());
            assertThat(((KeyedCreate) newKey.get(30, TimeUnit.SECONDS)).created())
                    .isTrue();
            assertThat(sameId.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ownerFull.get(30, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(RejectedJobException.class, e -> assertThat(e.reason())
                            .isEqualTo(RejectedJobException.Reason.OWNER_QUEUE_FULL));
            assertThat(badRow.get(30, TimeUnit.SECONDS)).isInstanceOf(StoreFailureException.class);
            assertThat(store.submitFlushes() - flushesBefore)
                    .as("the 14 waiting rows shared one flush")
                    .isEqualTo(1);

            for (Job job : fine) {
                assertThat(store.find(job.id())).contains(job);
            }
            assertThat(store.find(freshKey.id())).contains(freshKey);
            assertThat(store.find(keyedAgain.id())).isEmpty();
            assertThat(store.find(overBound.id())).isEmpty();
            assertThat(store.find(bad.id())).isEmpty();
            assertThat(count(pool)).isEqualTo(4 + 2 + 10 + 1);
        }
    }

    @Test
    void aBatchOfChanges_isOneCompareAndSetPerRow_theLoserAloneGetsFalse() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        try (PostgresJobStore store = PostgresJobStore.builder(pool).build();
                Connection blocker = pool.getConnection()) {
            List<Job> running = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                running.add(store.createClaimed(newJob(""), now).orElseThrow());
            }
            Job stale = running.get(13);
            Job moved = JobTransitions.withProgress(stale, new io.github.accepted.Progress(5, "moved on"), now);
            assertThat(store.replace(stale, moved)).isTrue();

            holdWrites(blocker);
            long setUp = store.changeFlushes();
            List<Future<Object>> inFlight = new ArrayList<>();
            for (Job job : running.subList(0, 2)) {
                inFlight.add(async(() -> store.replace(job, succeeded(job))));
            }
            await().until(() -> store.changeFlushes() == setUp + 2); // both taken, each alone, both held
            CyclicBarrier start = new CyclicBarrier(12);
            List<Future<Object>> outcomes = new ArrayList<>();
            for (Job job : running.subList(2, 14)) {
                outcomes.add(async(() -> {
                    start.await();
                    return store.replace(job, succeeded(job));
                }));
            }
            await().until(() -> store.bufferedChanges() == 2 + 12);
            long flushesBefore = store.changeFlushes();
            AtomicInteger heard = new AtomicInteger();
            store.onChange(id -> heard.incrementAndGet());
            assertThat(heard.get()).as("nothing reported before it committed").isZero();
            blocker.commit();

            for (Future<Object> f : inFlight) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(true);
            }
            for (int i = 0; i < 11; i++) {
                assertThat(outcomes.get(i).get(30, TimeUnit.SECONDS))
                        .as("job %d", i + 2)
                        .isEqualTo(true);
            }
            assertThat(outcomes.get(11).get(30, TimeUnit.SECONDS))
                    .as("the stale version loses")
                    .isEqualTo(false);
            assertThat(store.changeFlushes() - flushesBefore)
                    .as("the 12 waiting changes shared one flush")
                    .isEqualTo(1);
            for (Job job : running.subList(0, 13)) {
                Job stored = store.find(job.id()).orElseThrow();
                assertThat(stored).isEqualTo(succeeded(job));
            }
            assertThat(store.find(stale.id())).contains(moved);
            await().until(() -> heard.get() >= 13);
        }
    }

    /**
     * The answer to a committed flush is lost (the connection drops between the commit and the
     * reply): the flush is written again, and finds its rows there: every caller is told its
     * write succeeded, and nothing is applied twice.
     */
    @Test
    void aFlushWhoseAnswerIsLostAfterItsCommit_isWrittenAgain_andCountsOnce() throws Exception {
        DataSource real = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        AtomicInteger answersToLose = new AtomicInteger();
        DataSource losing = answerLosing(real, answersToLose);
        try (PostgresJobStore store =
                PostgresJobStore.builder(losing).liveness(false).listen(false).build()) {
            answersToLose.set(1);
            Job job = newJob("alice");
            store.create(job);
            assertThat(answersToLose.get()).as("the answer was lost").isZero();
            assertThat(store.find(job.id())).contains(job);

            Job keyedJob = newJob("alice");
            answersToLose.set(1);
            KeyedCreate keyed = store.createIdempotent(keyedJob, key("k"));
            assertThat(answersToLose.get()).isZero();
            assertThat(keyed.created())
                    .as("its own row, written by the lost try")
                    .isTrue();

            Job running = store.createClaimed(newJob("alice"), now).orElseThrow();
            answersToLose.set(1);
            assertThat(store.replace(running, succeeded(running)))
                    .as("written by the lost try: still a success")
                    .isTrue();
            assertThat(answersToLose.get()).isZero();
            assertThat(store.find(running.id())).contains(succeeded(running));
            assertThat(count(real)).isEqualTo(3);
        }
    }

    /**
     * Batches bind instants as microseconds, which PostgreSQL turns into timestamps exactly only
     * from 1685 to 2255: a row with an instant outside (a job kept for 300 years, one created in
     * 2300) is written on its own with a plain statement, its neighbours still in one, and every
     * instant reads back as written.
     */
    @Test
    void rowsWithInstantsBeyondWhatBatchesBind_areWrittenAlone_theirNeighboursTogether() throws Exception {
        DataSource real = TestDatabases.pool(TestDatabases.newDatabase(), 8);
        List<String> statements = new CopyOnWriteArrayList<>();
        DataSource pool = recording(real, statements);
        try (PostgresJobStore store = PostgresJobStore.builder(pool).build();
                Connection blocker = real.getConnection()) {
            List<Job> running = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                running.add(store.createClaimed(newJob(""), now).orElseThrow());
            }
            List<Job> done = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                Job job = running.get(i);
                done.add(JobTransitions.succeeded(
                        job,
                        Payload.json("1"),
                        job.updatedAt().plusMillis(1),
                        i == 3 ? Duration.ofDays(300L * 365) : Duration.ofHours(1)));
            }
            Job future =
                    Job.queued(JobId.random(), "echo", "", Payload.json("{}"), Instant.parse("2300-01-01T00:00:00Z"));
            List<Job> created = List.of(newJob(""), future, newJob(""), newJob(""));

            statements.clear();
            holdWrites(blocker);
            long flushes = store.changeFlushes();
            List<Future<Object>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Job job = running.get(i);
                Job next = done.get(i);
                held.add(async(() -> store.replace(job, next)));
            }
            long submits = store.submitFlushes();
            held.add(async(() -> create(store, newJob(""))));
            held.add(async(() -> create(store, newJob(""))));
            await().until(() -> store.changeFlushes() == flushes + 2 && store.submitFlushes() == submits + 2);
            // both flushes of each kind in flight, each alone, held: what comes now waits, and goes in one flush
            List<Future<Object>> changes = new ArrayList<>();
            for (int i = 2; i < running.size(); i++) {
                Job job = running.get(i);
                Job next = done.get(i);
                changes.add(async(() -> store.replace(job, next)));
            }
            List<Future<Object>> creates = new ArrayList<>();
            for (Job job : created) {
                creates.add(async(() -> create(store, job)));
            }
            await().until(() -> store.bufferedChanges() == 2 + 4 && store.bufferedSubmits() == 2 + 4);
            blocker.commit();

            for (Future<Object> f : held) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isNotInstanceOf(Exception.class);
            }
            for (Future<Object> change : changes) {
                assertThat(change.get(30, TimeUnit.SECONDS)).isEqualTo(true);
            }
            for (int i = 0; i < created.size(); i++) {
                assertThat(creates.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(created.get(i));
            }
            assertThat(statements.stream().filter(OutcomeBatcher.UPDATE_MANY::equals))
                    .as("the 3 changes that fit, in one statement")
                    .hasSize(1);
            assertThat(statements.stream().filter(OutcomeBatcher.UPDATE_ONE::equals))
                    .as("the 2 held, and the one kept 300 years, alone")
                    .hasSize(3);
            assertThat(statements.stream().filter(SubmitBatcher.INSERT_MANY::equals))
                    .as("the 3 new jobs that fit, in one statement")
                    .hasSize(1);
            assertThat(statements.stream().filter(SubmitBatcher.INSERT_ONE::equals))
                    .as("the 2 held, and the one created in 2300, alone")
                    .hasSize(3);
            for (Job job : done) {
                assertThat(store.find(job.id())).contains(job);
            }
            assertThat(store.find(done.get(3).id()).orElseThrow().expiresAt())
                    .contains(done.get(3).updatedAt().plus(Duration.ofDays(300L * 365)));
            for (Job job : created) {
                assertThat(store.find(job.id())).contains(job);
            }
        }
    }

    /** {@code real}, recording the text of every statement prepared on its connections. */
    private static DataSource recording(DataSource real, List<String> statements) {
        return onConnections(real, (connection, m, args) -> {
            if (m.getName().equals("prepareStatement")) {
                statements.add((String) args[0]);
            }
            return invoke(connection, m, args);
        });
    }

    /** What a wrapped connection does with a call: {@code connection} is the real one. */
    private interface ConnectionCall {
        Object handle(Connection connection, java.lang.reflect.Method method, Object[] arguments) throws Throwable;
    }

    /** {@code real}, with every call on the connections it hands out going through {@code call}. */
    private static DataSource onConnections(DataSource real, ConnectionCall call) {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                forward(real, (target, method, arguments) -> {
                    Object result = invoke(target, method, arguments);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    return Proxy.newProxyInstance(
                            Connection.class.getClassLoader(),
                            new Class<?>[] {Connection.class},
                            (proxy, m, args) -> call.handle(connection, m, args));
                }));
    }

    /** Holds every write to the jobs table (reads pass) until {@code blocker} commits. */
    private static void holdWrites(Connection blocker) throws SQLException {
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
            s.execute("LOCK TABLE accepted_jobs IN EXCLUSIVE MODE");
        }
    }

    /**
     * {@code real}, except that while {@code toLose} is above zero, a write's statement runs and
     * commits, and then its caller is told the connection broke (SQLState 08006).
     */
    static DataSource answerLosing(DataSource real, AtomicInteger toLose) {
        return onConnections(real, (connection, m, args) -> {
            Object made = invoke(connection, m, args);
            if (!m.getName().equals("prepareStatement") || !((String) args[0]).matches("(?s)^(INSERT|UPDATE).*")) {
                return made;
            }
            PreparedStatement statement = (PreparedStatement) made;
            return Proxy.newProxyInstance(
                    PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class},
                    (p, sm, sargs) -> {
                        Object answer = invoke(statement, sm, sargs);
                        if ((sm.getName().equals("executeUpdate")
                                        || sm.getName().equals("executeQuery"))
                                && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            throw new SQLException("the answer was lost", "08006");
                        }
                        return answer;
                    });
        });
    }

    private static InvocationHandler forward(Object target, InvocationHandler handler) {
        return (proxy, method, arguments) -> handler.invoke(target, method, arguments);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Job succeeded(Job running) {
        return JobTransitions.succeeded(
                running,
                Payload.json("\"done " + running.id().value() + "\""),
                running.updatedAt().plusMillis(1),
                Duration.ofHours(1));
    }

    private static Object create(PostgresJobStore store, Job job) {
        try {
            store.create(job);
            return job;
        } catch (RuntimeException e) {
            return e;
        }
    }

    private Future<Object> async(Callable<Object> work) {
        return threads.submit(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    private synchronized Job newJob(String owner) {
        now = now.plus(1, ChronoUnit.MICROS);
        return Job.queued(JobId.random(), "echo", owner, Payload.json("{\"text\":\"hi\"}"), now);
    }

    private static IdempotencyKey key(String key) {
        return new IdempotencyKey("scope", key, "fingerprint");
    }

    private static long count(DataSource pool) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                java.sql.ResultSet rows = s.executeQuery("SELECT count(*) FROM accepted_jobs")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
