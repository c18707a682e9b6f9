package io.github.accepted.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Job;
import io.github.accepted.conformance.ConformanceHarness;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.protocol.ProtocolEngine;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Who owns a job on WebFlux: the reactive security context's authentication by name, an anonymous
 * token as nobody; and a failing owner resolver answered with a {@code 500} problem.
 */
class OwnersTest extends ConformanceHarness {

    private WebFilter security = (exchange, chain) -> chain.filter(exchange);
    private OwnerResolver owners = OwnerResolver.principal();

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return WebFluxServers.webHandler(engine, owners, security);
    }

    private void authenticateAs(Authentication authentication) {
        security = (exchange, chain) ->
                chain.filter(exchange).contextWrite(ReactiveSecurityContextHolder.withAuthentication(authentication));
    }

    @Test
    void theSecurityContextsAuthentication_ownsTheJob_byItsName() throws Exception {
        authenticateAs(UsernamePasswordAuthenticationToken.authenticated(
                "carol", "secret", List.of(new SimpleGrantedAuthority("ROLE_USER"))));
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", null);
        assertThat(app.accepted.find(idOf(monitor), "carol").map(Job::owner)).contains("carol");
        assertThat(http.get(app.uri("/jobs"), null).json().path("jobs")).hasSize(1);
    }

    @Test
    void anAnonymousToken_isNobody() throws Exception {
        authenticateAs(new AnonymousAuthenticationToken(
                "key", "anonymousUser", List.of(new SimpleGrantedAuthority("ROLE_ANONYMOUS"))));
        App app = app();
        URI monitor = app.submitted("echo", "{\"text\":\"x\"}", null);
        assertThat(app.accepted.find(idOf(monitor), "").map(Job::isAnonymous)).contains(true);
        assertProblem(http.get(app.uri("/jobs"), null), 403, "forbidden");
    }

    @Test
    void aFailingOwnerResolver_isAnswered500_withAProblemThatRevealsNothing() throws Exception {
        owners = exchange -> Mono.error(new IllegalStateException(io.github.accepted.conformance.TestHandlers.SECRET));
        App app = app();
        assertProblem(http.get(app.uri("/jobs"), ALICE), 500, "internal");
        assertThat(EngineInternals.of(app.accepted).waitingCount()).isZero();
    }

    private static io.github.accepted.JobId idOf(URI monitor) {
        String path = monitor.getPath();
        return new io.github.accepted.JobId(path.substring(path.lastIndexOf('/') + 1));
    }
}
