package io.github.accepted.postgres;

import io.github.accepted.JobId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every instance what changed, in batches: {@code accepted_work} (jobs were queued) and
 * {@code accepted_changes} (jobs changed; the payload is their ids and the sending instance).
 *
 * <p>Sending: writes {@link #announce} their job after they commit; one sender thread sends
 * whatever accumulated in one {@code NOTIFY} transaction, then the next batch. A notifying commit
 * takes a database-wide lock and wakes every listener, so one notification per batch instead of
 * per change is much of the store's throughput under load (docs/benchmarks.md). Under load the
 * sender lingers {@link #LINGER_NANOS} between batches; an idle instance sends at once. Changes
 * are passed to this instance's listeners directly.
 *
 * <p>Listening (optional): one connection that LISTENs and one daemon thread that passes
 * other instances' notifications on. Reconnects after a failure; polling remains the fallback
 * while it is down, and for a notification lost with a crashed instance.
 */
final class Notifications implements AutoCloseable {

    static final String WORK = "accepted_work";
    static final String CHANGES = "accepted_changes";

    /** Ids per notification: 23 bytes each (id and comma) stay well under PostgreSQL's 8,000-byte payload. */
    static final int IDS_PER_NOTIFICATION = 300;
    /** Changes waiting to be sent beyond this are dropped (the database is down): waiters fall back to polling. */
    static final int MAX_PENDING = 100_000;
    /**
     * After sending a batch of more than one change the sender waits this long, so that under
     * load the next batch grows (fewer notifying commits: 1,124 jobs/s without the wait, 1,374
     * with it, in a profiling run of the end-to-end benchmark); a lone change is sent at once.
     */
    static final long LINGER_NANOS = 5_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final DataSource dataSource;
    private final String instanceId;
    private final List<Runnable> workListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<JobId>> changeListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<JobId>> elsewhereListeners = new CopyOnWriteArrayList<>();
    private final @Nullable Thread listener; // null when not listening
    private final Thread sender;
    private final CountDownLatch listening = new CountDownLatch(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition announced = lock.newCondition();
    private Set<JobId> pending = new LinkedHashSet<>(); // guarded by lock
    private boolean workPending; // guarded by lock
    private volatile boolean running = true;
    private volatile @Nullable Connection connection;

    Notifications(DataSource dataSource, String instanceId, boolean listen) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.sender = new Thread(this::send, "accepted-notify-" + instanceId);
        sender.setDaemon(true);
        sender.start();
        if (!listen) {
            this.listener = null;
            return;
        }
        this.listener = new Thread(this::listen, "accepted-listen-" + instanceId);
        listener.setDaemon(true);
        listener.start();
        // changes made before LISTEN would be missed: start listening before the store is used
        try {
            if (!listening.await(10, TimeUnit.SECONDS)) {
                LOG.warn("not listening for notifications yet; instances rely on polling until it works");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void onWork(Runnable listener) {
        workListeners.add(listener);
    }

    void onChange(Consumer<JobId> listener) {
        changeListeners.add(listener);
    }

    void onChangeElsewhere(Consumer<JobId> listener) {
        elsewhereListeners.add(listener);
    }

    /** Job {@code id} changed (committed); {@code queued}: it is now waiting for a worker. */
    void announce(JobId id, boolean queued) {
        lock.lock();
        try {
            if (pending.size() < MAX_PENDING) {
                pending.add(id);
            }
            workPending |= queued;
            announced.signal();
        } finally {
            lock.unlock();
        }
    }

    private void send() {
        while (true) {
            Set<JobId> batch;
            boolean work;
            lock.lock();
            try {
                while (running && pending.isEmpty() && !workPending) {
                    announced.awaitUninterruptibly();
                }
                if (pending.isEmpty() && !workPending) {
                    return; // closed, and everything announced was sent
                }
                batch = pending;
                work = workPending;
                pending = new LinkedHashSet<>();
                workPending = false;
            } finally {
                lock.unlock();
            }
            batch.forEach(this::changed);
            try {
                notifyOthers(batch, work);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("could not notify other instances of {} changes (they poll instead)", batch.size(), e);
                if (running) {
                    sleep(100);
                }
            }
            if (batch.size() > 1 && running) {
                LockSupport.parkNanos(LINGER_NANOS); // busy: let the next batch grow
            }
        }
    }

    private void notifyOthers(Set<JobId> changed, boolean work) throws SQLException {
        List<String> channels = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        if (work) {
            channels.add(WORK);
            payloads.add(instanceId);
        }
        StringBuilder ids = new StringBuilder();
        int count = 0;
        for (JobId id : changed) {
            if (count > 0) {
                ids.append(',');
            }
            ids.append(id.value());
            if (++count == IDS_PER_NOTIFICATION) {
                channels.add(CHANGES);
                payloads.add(ids.append('|').append(instanceId).toString());
                ids.setLength(0);
                count = 0;
            }
        }
        if (count > 0) {
            channels.add(CHANGES);
            payloads.add(ids.append('|').append(instanceId).toString());
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT pg_notify(c, p) FROM unnest(?, ?) AS n(c, p)")) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            s.setArray(1, c.createArrayOf("text", channels.toArray()));
            s.setArray(2, c.createArrayOf("text", payloads.toArray()));
            s.executeQuery().close();
        }
    }

    private void listen() {
        long backoff = 100;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                connection = c;
                c.setAutoCommit(true);
                try (Statement statement = c.createStatement()) {
                    statement.execute("LISTEN " + WORK);
                    statement.execute("LISTEN " + CHANGES);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening.countDown();
                backoff = 100;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    boolean work = false;
                    for (PGNotification notification : notifications) {
                        if (notification.getName().equals(WORK)) {
                            work = true;
                        } else {
                            received(notification.getParameter());
                        }
                    }
                    if (work) {
                        workListeners.forEach(Notifications::quietly);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn(
                            "listening for notifications failed; reconnecting in {} ms (polling covers meanwhile)",
                            backoff,
                            e);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 5_000);
                }
            } finally {
                connection = null;
            }
        }
    }

    /** {@code id,id,…|instance}; this instance's own changes were passed on when they were sent. */
    private void received(String payload) {
        int bar = payload.indexOf('|');
        if (bar >= 0 && payload.startsWith(instanceId, bar + 1) && payload.length() == bar + 1 + instanceId.length()) {
            return;
        }
        String ids = bar >= 0 ? payload.substring(0, bar) : payload;
        int from = 0;
        while (from <= ids.length()) {
            int comma = ids.indexOf(',', from);
            int to = comma < 0 ? ids.length() : comma;
            Optional<JobId> id = JobId.parse(ids.substring(from, to));
            id.ifPresent(this::changedElsewhere);
            from = to + 1;
        }
    }

    private void changedElsewhere(JobId id) {
        changed(id);
        for (Consumer<JobId> listener : elsewhereListeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("a change listener failed", e);
            }
        }
    }

    private void changed(JobId id) {
        for (Consumer<JobId> listener : changeListeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("a change listener failed", e);
            }
        }
    }

    private static void quietly(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            LOG.warn("a work listener failed", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends what is pending, then stops. */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            announced.signal();
        } finally {
            lock.unlock();
        }
        try {
            sender.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (listener == null) {
            return;
        }
        listener.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the listening connection", e);
            }
        }
        try {
            listener.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
