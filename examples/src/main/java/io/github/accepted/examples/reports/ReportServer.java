package io.github.accepted.examples.reports;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accepted.Accepted;
import io.github.accepted.micrometer.AcceptedMetrics;
import io.github.accepted.openapi.AcceptedOpenApiServlet;
import io.github.accepted.openapi.OpenApiDocument;
import io.github.accepted.openapi.OpenApiInfo;
import io.github.accepted.postgres.PostgresJobStore;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.servlet.AcceptedInitializer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * The seed's report generator on embedded Jetty: {@code POST /api/reports} answers
 * {@code 202 Accepted}; the report is rendered in the background; the PDF is served at
 * {@code /jobs/{id}/result}.
 *
 * <p>Listens on {@code $PORT} (default 8080). {@code $REPORT_PAGE_MILLIS} sets the time spent
 * per page (default 1000). Jobs are kept in memory, or, given {@code $JDBC_URL} (with
 * {@code $JDBC_USER} and {@code $JDBC_PASSWORD}), in PostgreSQL: then several instances can
 * share the work, and jobs survive a restart. With {@code METRICS=prometheus}, the engine's
 * meters (docs/observability.md) are served for Prometheus at {@code GET /metrics}.
 */
public final class ReportServer implements AutoCloseable {

    /** Where the OpenAPI document of the API is served. */
    public static final String OPENAPI_PATH = "/openapi.json";

    private final Accepted accepted;
    private final Server server;
    private final ServerConnector connector;
    private final @Nullable HikariDataSource pool; // null without a database

    private ReportServer(int port, Duration pageTime, Optional<Database> database, boolean prometheus)
            throws Exception {
        Accepted.Builder builder =
                Accepted.builder().handler("report", ReportRequest.class, new ReportGenerator(pageTime));
        PrometheusMeterRegistry registry = null;
        if (prometheus) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            builder.listener(AcceptedMetrics.of(registry));
        }
        if (database.isPresent()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.get().url());
            config.setUsername(database.get().user());
            config.setPassword(database.get().password());
            config.setMaximumPoolSize(10);
            pool = new HikariDataSource(config);
            builder.store(PostgresJobStore.builder(pool).build());
        } else {
            pool = null;
        }
        accepted = builder.build();
        ProtocolEngine http = ProtocolEngine.builder(accepted)
                .route("POST", "/api/reports", "report")
                .build();

        server = new Server();
        // requests Jetty refuses before a servlet sees them get a problem too, not an HTML page
        server.setErrorHandler(new ProblemErrorHandler());
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        // strict on purpose (Jetty 12's defaults, stated so they stay): an encoded slash, "%2e%2e",
        // a NUL or bad UTF-8 in the path, and a control character in a header are refused with 400
        // instead of being decoded into something a handler might act on
        httpConfig.setUriCompliance(UriCompliance.DEFAULT);
        httpConfig.setHttpCompliance(HttpCompliance.RFC9110);
        connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.setErrorHandler(new ProblemErrorHandler());
        context.addServletContainerInitializer(new AcceptedInitializer(http));
        context.addServlet(
                new ServletHolder(new AcceptedOpenApiServlet(
                        OpenApiDocument.of(http, OpenApiInfo.of("Report generator", "1.0")))),
                OPENAPI_PATH);
        context.addServlet(new ServletHolder(new HomePage()), "");
        if (registry != null) {
            context.addServlet(new ServletHolder(new PrometheusScrape(registry)), "/metrics");
        }
        server.setHandler(context);
        server.start();
    }

    /** Where to keep jobs in PostgreSQL. */
    public record Database(String url, String user, String password) {}

    /** Starts the server on {@code port} (0 for any free port), keeping jobs in memory. */
    public static ReportServer start(int port, Duration pageTime) throws Exception {
        return new ReportServer(port, pageTime, Optional.empty(), false);
    }

    /** Starts the server on {@code port}, keeping jobs in PostgreSQL. */
    public static ReportServer start(int port, Duration pageTime, Database database) throws Exception {
        return new ReportServer(port, pageTime, Optional.of(database), false);
    }

    /**
     * Starts the server on {@code port}, keeping jobs in PostgreSQL if {@code database} is
     * present, and serving the engine's meters for Prometheus at {@code /metrics}.
     */
    public static ReportServer startWithPrometheus(int port, Duration pageTime, Optional<Database> database)
            throws Exception {
        return new ReportServer(port, pageTime, database, true);
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops taking jobs, lets running ones finish, then stops Jetty. */
    @Override
    public void close() throws Exception {
        accepted.close();
        server.stop();
        if (pool != null) {
            pool.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(env("PORT", "8080"));
        Duration pageTime = Duration.ofMillis(Long.parseLong(env("REPORT_PAGE_MILLIS", "1000")));
        String jdbcUrl = env("JDBC_URL", "");
        Optional<Database> database = jdbcUrl.isEmpty()
                ? Optional.empty()
                : Optional.of(new Database(jdbcUrl, env("JDBC_USER", "postgres"), env("JDBC_PASSWORD", "")));
        boolean prometheus = env("METRICS", "").equalsIgnoreCase("prometheus");
        ReportServer reports = new ReportServer(port, pageTime, database, prometheus);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                reports.close();
                            } catch (Exception e) {
                                System.err.println("could not close the report server cleanly: " + e);
                            }
                        },
                        "report-server-shutdown"));
        System.out.printf(
                "Report server on http://localhost:%d/  (try: curl -i -X POST "
                        + "-H 'Content-Type: application/json' -d '{\"report_type\":\"annual_summary\",\"pages\":5}' "
                        + "http://localhost:%d/api/reports)%n",
                reports.port(), reports.port());
        if (prometheus) {
            System.out.printf("Prometheus metrics on http://localhost:%d/metrics%n", reports.port());
        }
        reports.server.join();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** {@code GET /}: how to use the example. */
    static final class HomePage extends HttpServlet {
        private static final byte[] TEXT = """
                Accepted example: report generator

                POST /api/reports   {"report_type": "annual_summary", "pages": 5}
                                    -> 202 Accepted, Location: /jobs/{id}
                GET  /jobs/{id}     -> 202 while running (with progress), 200 when done
                GET  /jobs/{id}/result -> the PDF
                DELETE /jobs/{id}   -> cancel (or remove once finished)
                GET  /jobs          -> your jobs (needs an authenticated user)
                GET  /openapi.json  -> the OpenAPI 3.1 document of all of this

                report_type: annual_summary, quarterly_summary, sales_by_region; pages: 1 to 50
                """.getBytes(StandardCharsets.UTF_8);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain; charset=utf-8");
            response.setContentLength(TEXT.length);
            response.getOutputStream().write(TEXT);
        }
    }
}
