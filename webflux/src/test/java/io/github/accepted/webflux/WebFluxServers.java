package io.github.accepted.webflux;

import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;
import java.net.URI;
import java.time.Duration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/** Starts Reactor Netty on a free port with the adapter mounted under /app, in either of its shapes. */
final class WebFluxServers {

    private WebFluxServers() {}

    /** {@link AcceptedWebHandler} as the whole application, on Reactor Netty's and Reactor's default threads. */
    static RunningServer webHandler(ProtocolEngine engine) {
        return start(
                handler -> WebHttpHandlerBuilder.webHandler(handler)
                        .filter(new TestPrincipalFilter())
                        .build(),
                engine,
                null,
                Schedulers.boundedElastic());
    }

    /** {@link AcceptedWebHandler} with these owners, behind {@code security} and the test principal's filter. */
    static RunningServer webHandler(ProtocolEngine engine, OwnerResolver owners, WebFilter security) {
        return start(
                handler -> WebHttpHandlerBuilder.webHandler(handler)
                        .filter(security, new TestPrincipalFilter())
                        .build(),
                engine,
                null,
                Schedulers.boundedElastic(),
                owners);
    }

    /** {@link AcceptedRoutes} through WebFlux's functional endpoints. */
    static RunningServer routes(ProtocolEngine engine) {
        return start(
                handler -> RouterFunctions.toHttpHandler(
                        AcceptedRoutes.of(handler),
                        HandlerStrategies.builder()
                                .webFilter(new TestPrincipalFilter())
                                .build()),
                engine,
                null,
                Schedulers.boundedElastic());
    }

    /** {@link AcceptedWebHandler} with {@code threads} event-loop threads and at most {@code threads} blocking ones. */
    static RunningServer webHandlerWithThreads(ProtocolEngine engine, int threads) {
        LoopResources loops = LoopResources.create("accepted-loop", 1, threads, true);
        Scheduler blocking = Schedulers.newBoundedElastic(threads, 10_000, "accepted-blocking");
        RunningServer server = start(
                handler -> WebHttpHandlerBuilder.webHandler(handler)
                        .filter(new TestPrincipalFilter())
                        .build(),
                engine,
                loops,
                blocking);
        return new RunningServer() {
            @Override
            public URI baseUri() {
                return server.baseUri();
            }

            @Override
            public void close() throws Exception {
                server.close();
                blocking.dispose();
                loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
            }
        };
    }

    interface Application {
        HttpHandler of(AcceptedWebHandler handler);
    }

    private static RunningServer start(
            Application application, ProtocolEngine engine, LoopResources loops, Scheduler blocking) {
        return start(application, engine, loops, blocking, OwnerResolver.principal());
    }

    private static RunningServer start(
            Application application,
            ProtocolEngine engine,
            LoopResources loops,
            Scheduler blocking,
            OwnerResolver owners) {
        AcceptedWebHandler handler = new AcceptedWebHandler(engine, owners, blocking);
        HttpHandler mounted = new ContextPath("/app", application.of(handler));
        HttpServer http = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .idleTimeout(Duration.ofSeconds(60))
                .handle(new ReactorHttpHandlerAdapter(mounted));
        if (loops != null) {
            http = http.runOn(loops);
        }
        DisposableServer server = http.bindNow(Duration.ofSeconds(30));
        URI base = URI.create("http://127.0.0.1:" + server.port() + "/app");
        return new RunningServer() {
            @Override
            public URI baseUri() {
                return base;
            }

            @Override
            public void close() {
                server.disposeNow(Duration.ofSeconds(10));
            }
        };
    }
}
