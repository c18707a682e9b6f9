package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.Accepted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the engine when the application context stops, in a phase that ends before the web
 * server's graceful shutdown ({@code WebServerGracefulShutdownLifecycle}, phase
 * {@code DEFAULT_PHASE - 1024}) and its stop ({@code DEFAULT_PHASE - 2048}) begin: new submissions
 * get {@code 503}, running jobs get {@code accepted.shutdown-timeout}, and monitors keep
 * answering; then the server drains and stops. The close runs on its own thread, so Spring's
 * {@code spring.lifecycle.timeout-per-shutdown-phase} bounds the wait.
 *
 * <p>A closed engine cannot start again, so it does not take part in a context's pause (Spring's
 * test context cache pauses the contexts it keeps): only a stop or close of the context ends it.
 */
final class AcceptedLifecycle implements SmartLifecycle {

    /** Stops before the web server's graceful shutdown phase. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger LOG = LoggerFactory.getLogger(AcceptedLifecycle.class);

    private final Accepted accepted;
    private volatile boolean running;

    AcceptedLifecycle(Accepted accepted) {
        this.accepted = accepted;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        accepted.close();
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        Thread closer = new Thread(
                () -> {
                    try {
                        LOG.info("stopping job intake; running jobs get their shutdown timeout");
                        stop();
                        LOG.info("jobs ended; the web server may stop");
                    } catch (RuntimeException e) {
                        LOG.error("closing Accepted failed", e);
                    } finally {
                        running = false;
                        callback.run();
                    }
                },
                "accepted-shutdown");
        closer.start();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
