package io.github.accepted.examples.reports;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the registry in Prometheus' text format, for a scraper. */
final class PrometheusScrape extends HttpServlet {

    private final transient PrometheusMeterRegistry registry;

    PrometheusScrape(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
