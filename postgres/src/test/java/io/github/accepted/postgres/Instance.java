package io.github.accepted.postgres;

import io.github.accepted.Accepted;
import io.github.accepted.JobHandler;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.servlet.AcceptedInitializer;
import io.github.accepted.spi.JobExecutor;
import java.net.URI;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** One application instance for cluster tests: an engine on the shared database, behind its own Jetty. */
final class Instance implements AutoCloseable {

    final Accepted accepted;
    final PostgresJobStore store;
    private final Server server;
    private final URI base;

    <I, O> Instance(
            DataSource pool,
            String name,
            Duration lease,
            int workers,
            String type,
            Class<I> input,
            JobHandler<I, O> handler)
            throws Exception {
        store = PostgresJobStore.builder(pool)
                .instanceId(name)
                .leaseTimeout(lease)
                .maxQueued(100_000)
                .build();
        accepted = Accepted.builder()
                .store(store)
                .executor(JobExecutor.fixedThreadPool(workers))
                .handler(type, input, handler)
                .pollInterval(Duration.ofMillis(500))
                .shutdownTimeout(Duration.ofSeconds(5))
                .build();
        ProtocolEngine http = ProtocolEngine.builder(accepted)
                .route("POST", "/api/" + type, type)
                .build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(new AcceptedInitializer(http));
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    @Override
    public void close() throws Exception {
        accepted.close();
        server.stop();
    }
}
