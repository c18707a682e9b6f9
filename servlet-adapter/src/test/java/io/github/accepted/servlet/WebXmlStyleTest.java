package io.github.accepted.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Accepted;
import io.github.accepted.conformance.Http;
import io.github.accepted.conformance.TestHandlers;
import io.github.accepted.protocol.ProtocolEngine;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The {@code web.xml} way: the servlet declared by class name, mapped by hand, its engine handed
 * over in a context attribute by a listener that runs first.
 */
class WebXmlStyleTest {

    @Test
    void noArgumentServlet_servesTheEngineFromTheContextAttribute() throws Exception {
        Accepted accepted = TestHandlers.registerAll(Accepted.builder()).build();
        ProtocolEngine http = ProtocolEngine.builder(accepted)
                .route("POST", "/api/echo", "echo")
                .build();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                event.getServletContext().setAttribute(AcceptedServlet.ENGINE_ATTRIBUTE, http);
            }
        });
        ServletHolder holder = new ServletHolder(AcceptedServlet.class);
        holder.setInitOrder(1);
        context.addServlet(holder, "/api/echo");
        context.addServlet(holder, "/jobs/*");
        server.setHandler(context);
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            Http.Reply reply = new Http().postJson(base.resolve("/api/echo"), null, "{\"text\":\"web.xml\"}");
            assertThat(reply.status()).isEqualTo(202);
            assertThat(reply.header("Location").orElseThrow()).startsWith(base + "/jobs/");
            Http.Reply poll = new Http().get(URI.create(reply.header("Location").orElseThrow()), null);
            assertThat(poll.status()).isIn(200, 202);
        } finally {
            accepted.close();
            server.stop();
        }
    }
}
