package io.github.accepted.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.github.accepted.protocol.ProtocolEngine;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The kit's check that a waiting client holds no thread, run on two adapters on the JDK's
 * {@code HttpServer} with a pool of {@value ProtocolDepthSuite#SMALL_POOL} threads: the one that
 * waits on the engine's future without a thread passes; the one that calls the blocking
 * {@code engine.handle()} fails.
 */
class ThreadCheckTest {

    private static final String CHECK = "waitingClients_holdNoThread_soTwiceThePoolWaitAtOnce_andTheServerStillAnswers";

    @Test
    void anAdapterThatWaitsWithoutAThread_passesTheCheck() {
        TestExecutionSummary summary = run(AsyncJdkServer.class);
        assertThat(summary.getTestsSucceededCount()).as(failures(summary)).isEqualTo(1);
    }

    @Test
    void anAdapterThatHoldsAThreadPerWaitingClient_failsTheCheck() {
        TestExecutionSummary summary = run(BlockingJdkServer.class);
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        assertThat(summary.getFailures().get(0).getException())
                .hasMessageContaining("the adapter holds a thread per waiting client");
    }

    private static TestExecutionSummary run(Class<?> suite) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod(suite, CHECK))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsFoundCount()).isEqualTo(1);
        return summary;
    }

    private static String failures(TestExecutionSummary summary) {
        StringBuilder text = new StringBuilder();
        summary.getFailures()
                .forEach(failure -> text.append(failure.getException()).append('\n'));
        return text.toString();
    }

    /** The JDK server waiting on the engine's future: run only through {@link #run}. */
    static class AsyncJdkServer extends ProtocolDepthSuite {
        @Override
        protected RunningServer start(ProtocolEngine engine) throws Exception {
            return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.ASYNC, 16);
        }

        @Override
        protected RunningServer startWithThreads(ProtocolEngine engine, int threads) throws Exception {
            return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.ASYNC, threads);
        }
    }

    /** The JDK server calling the blocking {@code engine.handle()}: run only through {@link #run}. */
    static class BlockingJdkServer extends ProtocolDepthSuite {
        @Override
        protected RunningServer start(ProtocolEngine engine) throws Exception {
            return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.BLOCKING, 16);
        }

        @Override
        protected RunningServer startWithThreads(ProtocolEngine engine, int threads) throws Exception {
            return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.BLOCKING, threads);
        }
    }
}
