package io.github.accepted.servlet;

import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Starts embedded Jetty 12 (ee10) on a free port with the adapter mounted under /app. */
final class JettyServers {

    private JettyServers() {
    }

    static RunningServer start(ProtocolEngine engine) throws Exception {
        return start(engine, Duration.ofSeconds(30));
    }

    /** With this connection idle timeout (long-polls must fit in it). */
    static RunningServer start(ProtocolEngine engine, Duration idleTimeout) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
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
