package io.github.accepted.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.servlet.OwnerResolver;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * Without the starter's Spring Security resolver (the application's own bean replaces it), the
 * servlet API's {@code getUserPrincipal()} names the same owner: Spring Security's filter wraps
 * the request before Accepted's servlet runs.
 */
@SpringBootTest(
        classes = {StarterApplication.class, UserPrincipalOwnerTest.PrincipalOwners.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UserPrincipalOwnerTest {

    static class PrincipalOwners {
        @Bean
        OwnerResolver principalOwners() {
            return OwnerResolver.userPrincipal();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    OwnerResolver owners;

    @Test
    void userPrincipal_namesTheSpringSecurityUser_andIsolatesOwners() {
        Client client = new Client(port);
        assertThat(owners.getClass().getSimpleName()).doesNotContain("Authentication");

        HttpResponse<String> reply = client.post("/api/whoami", "alice", "{}", "Prefer", "wait=20");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(reply.body()).contains("hello alice");
        String monitor = reply.headers().firstValue("Content-Location").orElseThrow();
        assertThat(client.get(monitor, "bob").statusCode()).isEqualTo(404);
        assertThat(client.get(monitor, "alice").statusCode()).isEqualTo(200);
    }
}
