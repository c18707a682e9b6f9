package io.github.accepted.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accepted.Accepted;
import io.github.accepted.conformance.TestHandlers;
import io.github.accepted.protocol.ProtocolEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Tomcat recipe of docs/servlet.md: with {@link ProblemErrorReportValve} as the Host's error
 * report valve, requests Tomcat refuses before the adapter sees them get a problem, not Tomcat's
 * HTML page (issue 18).
 */
class TomcatErrorReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path base;

    private static Accepted accepted;
    private static Tomcat tomcat;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        accepted = TestHandlers.registerAll(Accepted.builder()).build();
        ProtocolEngine engine = ProtocolEngine.builder(accepted)
                .route("POST", "/api/echo", "echo")
                .build();
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        ((StandardHost) tomcat.getHost()).setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        Context context = tomcat.addContext("/app", base.toString());
        context.addServletContainerInitializer(new AcceptedInitializer(engine), null);
        tomcat.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        accepted.close();
        tomcat.stop();
        tomcat.destroy();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /app/jobs/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\nHost: localhost",
                "GET /app/jobs/abc%00def HTTP/1.1\r\nHost: localhost",
                "GET /app/jobs/abc%zz HTTP/1.1\r\nHost: localhost",
                "GET /app/jobs/abc HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: \"a\u0001b\"",
                "DELETE /app/jobs/..%2Fother HTTP/1.1\r\nHost: localhost",
                "GET /elsewhere HTTP/1.1\r\nHost: localhost",
            })
    void aRequestTomcatRefuses_getsAProblemNotAnHtmlPage(String head) throws Exception {
        String reply = send(head);
        String[] parts = reply.split("\r\n\r\n", 2);
        int status = Integer.parseInt(parts[0].split(" ", -1)[1]);
        assertThat(status).as(reply).isBetween(400, 499);
        assertThat(parts[0].toLowerCase(Locale.ROOT)).as(reply).contains("content-type: application/problem+json");
        JsonNode problem = JSON.readTree(parts[1]);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).startsWith("urn:accepted:problem:");
        assertThat(problem.path("title").asText()).isNotBlank();
    }

    private static String send(String head) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
