package io.github.accepted.spring.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.servlet.OwnerResolver;
import io.github.accepted.spring.boot.security.AcceptedRequestMatcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter in a reactive application on Reactor Netty (Spring MVC, Tomcat and Jetty are on this
 * test class path too): Accepted's endpoints come from its router function, owners from the
 * reactive security context, and none of the servlet side's beans are created. One application
 * start for the class.
 */
class ReactiveStarterTest {

    private static ConfigurableApplicationContext context;
    private static String base;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        context = new SpringApplicationBuilder(ReactiveApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        // Jetty and Tomcat are on this class path for the servlet tests: Reactor Netty here
                        "spring.autoconfigure.exclude="
                                + "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration,"
                                + "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration")
                .run();
        int port =
                ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stop() {
        ReactiveApplication.GATE.countDown();
        if (context != null) {
            context.close();
        }
    }

    @Test
    void runsOnReactorNetty_withTheRouterFunction_andNoServletBeans() {
        assertThat(((ReactiveWebServerApplicationContext) context)
                        .getWebServer()
                        .getClass()
                        .getSimpleName())
                .isEqualTo("NettyWebServer");
        assertThat(context.containsBean("acceptedRouterFunction")).isTrue();
        assertThat(context.getBeansOfType(ServletRegistrationBean.class)).isEmpty();
        assertThat(context.getBeansOfType(FilterRegistrationBean.class)).isEmpty();
        assertThat(context.getBeansOfType(OwnerResolver.class)).isEmpty();
        assertThat(context.getBeansOfType(AcceptedRequestMatcher.class)).isEmpty();
    }

    @Test
    void submit_answers202WithLocation_andThePollAnswers200Succeeded_withTheOwnerFromSecurity() throws Exception {
        HttpResponse<String> submit = send("POST", "/api/rows", "alice", "{\"rows\":3,\"name\":\"q3\"}");

        assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
        String location = submit.headers().firstValue("Location").orElseThrow();
        assertThat(URI.create(base).resolve(location).getPath()).startsWith("/jobs/");

        HttpResponse<String> poll = pollUntilDone(location, "alice");
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
        assertThat(poll.body()).contains("\"status\":\"succeeded\"").contains("\"owner\":\"alice\"");

        HttpResponse<String> stranger = send("GET", location, null, null);
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(stranger.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void aLongPoll_isAnsweredWhenTheJobFinishes() throws Exception {
        HttpResponse<String> submit = send("POST", "/api/gated", null, "{}");
        assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
        String location = submit.headers().firstValue("Location").orElseThrow();
        assertThat(ReactiveApplication.STARTED.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<HttpResponse<String>> longPoll = HTTP.sendAsync(
                request("GET", location, null, null).header("Prefer", "wait=30").build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        assertThat(longPoll).as("answered before the job changed").isNotDone();
        ReactiveApplication.GATE.countDown();

        HttpResponse<String> answer = longPoll.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"succeeded\"");
        assertThat(answer.headers().firstValue("Preference-Applied")).hasValue("wait=30");
    }

    @Test
    void aBadBody_isA400Problem() throws Exception {
        HttpResponse<String> reply = send("POST", "/api/rows", "alice", "{\"rows\":\"ten\",\"name\":\"q3\"}");

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.body()).contains("\"status\":400");
    }

    @Test
    void theApplicationsOwnRoutes_andNeighbouringPaths_areNotAccepteds() throws Exception {
        HttpResponse<String> hello = send("GET", "/hello", null, null);
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hi");

        HttpResponse<String> neighbour = send("GET", "/jobsearch", null, null);
        assertThat(neighbour.statusCode()).isEqualTo(404);
        assertThat(neighbour.headers().firstValue("Content-Type").orElse(""))
                .doesNotStartWith("application/problem+json");
    }

    private static HttpResponse<String> pollUntilDone(String location, String user) throws Exception {
        HttpResponse<String> poll = send("GET", location, user, null);
        for (int i = 0; i < 300 && poll.statusCode() == 200 && poll.body().contains("\"done\":false"); i++) {
            Thread.sleep(100);
            poll = send("GET", location, user, null);
        }
        return poll;
    }

    private static HttpResponse<String> send(String method, String path, String user, String json) throws Exception {
        return HTTP.send(request(method, path, user, json).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String method, String path, String user, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base).resolve(path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        json == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + user + "-secret").getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }
}
