package io.github.accepted.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Origins as the client compares them before sending its configured headers (RFC 6454). */
class OriginTest {

    private static Optional<Origin> of(String uri) {
        return Origin.of(URI.create(uri));
    }

    @Test
    void schemeAndHost_compareCaseInsensitively_andTheDefaultPortEqualsAnExplicitOne() {
        assertThat(of("HTTPS://API.Example.com/jobs/1"))
                .isEqualTo(of("https://api.example.com:443/other?x=1"))
                .contains(new Origin("https", "api.example.com", 443));
        assertThat(of("http://api.example.com")).isEqualTo(of("Http://API.EXAMPLE.COM:80/"));
        assertThat(of("http://[::1]:8080/x")).contains(new Origin("http", "[::1]", 8080));
    }

    @Test
    void anotherScheme_port_orHost_isAnotherOrigin() {
        assertThat(of("https://a.example")).isNotEqualTo(of("http://a.example"));
        assertThat(of("https://a.example:443")).isNotEqualTo(of("http://a.example:443"));
        assertThat(of("http://a.example:8080")).isNotEqualTo(of("http://a.example:8081"));
        assertThat(of("http://a.example")).isNotEqualTo(of("http://a.example:8080"));
        assertThat(of("https://a.example")).isNotEqualTo(of("https://b.a.example"));
        assertThat(of("https://a.example")).isNotEqualTo(of("https://a.example.evil.test"));
    }

    @Test
    void userInformation_doesNotChangeTheOrigin() {
        assertThat(of("https://me:pw@a.example/")).isEqualTo(of("https://a.example"));
    }

    @Test
    void onlyAbsoluteHttpUrls_haveAnOrigin() {
        assertThat(of("/jobs/1")).isEmpty();
        assertThat(of("//a.example/jobs/1")).isEmpty();
        assertThat(of("ftp://a.example/")).isEmpty();
        assertThat(of("mailto:ops@a.example")).isEmpty();
        assertThat(of("file:///etc/passwd")).isEmpty();
    }
}
