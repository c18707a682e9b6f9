package io.github.accepted.servlet;

import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Starts embedded Jetty 12 (ee10) on a free port with the adapter mounted under /app. */
final class JettyServers {

    private JettyServers() {}

    static RunningServer start(ProtocolEngine engine) throws Exception {
        return start(engine, Duration.ofSeconds(30));
    }

    /** With this connection idle timeout (long-polls must fit in it). */
    static RunningServer start(ProtocolEngine engine, Duration idleTimeout) throws Exception {
        return start(engine, idleTimeout, new Server());
    }

    /** With a thread pool of at most {@code maxThreads}, one acceptor and one selector among them. */
    static RunningServer startWithThreads(ProtocolEngine engine, int maxThreads) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        threads.setReservedThreads(0);
        return start(engine, Duration.ofSeconds(30), new Server(threads), 1, 1);
    }

    private static RunningServer start(ProtocolEngine engine, Duration idleTimeout, Server server) throws Exception {
        return start(engine, idleTimeout, server, -1, -1);
    }

    private static RunningServer start(
            ProtocolEngine engine, Duration idleTimeout, Server server, int acceptors, int selectors) throws Exception {
        ServerConnector connector = new ServerConnector(server, acceptors, selectors);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServletContainerInitializer(TestPrincipalFilter.INITIALIZER);
        context.addServletContainerInitializer(new AcceptedInitializer(engine));
        server.setHandler(context);
        server.start();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app");
        return new RunningServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }
}
