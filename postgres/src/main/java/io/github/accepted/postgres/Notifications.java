package io.github.accepted.postgres;

import io.github.accepted.JobId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection that LISTENs for {@code accepted_work} (new jobs queued on any instance) and
 * {@code accepted_changes} (a job changed on any instance; the payload is its id), and one
 * daemon thread that passes them on. Reconnects after a failure; polling remains the fallback
 * while it is down.
 */
final class Notifications implements AutoCloseable {

    static final String WORK = "accepted_work";
    static final String CHANGES = "accepted_changes";

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

    private final DataSource dataSource;
    private final List<Runnable> workListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<JobId>> changeListeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Connection connection;

    Notifications(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.thread = new Thread(this::loop, "accepted-listen-" + name);
        thread.setDaemon(true);
        thread.start();
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

    private void loop() {
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
                            Optional<JobId> id = JobId.parse(notification.getParameter());
                            id.ifPresent(this::changed);
                        }
                    }
                    if (work) {
                        workListeners.forEach(Notifications::quietly);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("listening for notifications failed; reconnecting in {} ms (polling covers meanwhile)",
                            backoff, e);
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 5_000);
                }
            } finally {
                connection = null;
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

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the listening connection", e);
            }
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
