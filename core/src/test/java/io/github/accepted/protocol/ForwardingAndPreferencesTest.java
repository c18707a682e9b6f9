package io.github.accepted.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The header parsing behind proxies and waits, case by case (the HTTP suites cover the wiring). */
class ForwardingAndPreferencesTest {

    private static ProtocolRequest request(String remote, Map<String, List<String>> headers) {
        return new ProtocolRequest(
                "GET",
                "/jobs",
                "",
                headers,
                "",
                "http://10.0.0.5:8080",
                "/app",
                remote,
                new ByteArrayInputStream(new byte[0]));
    }

    private final Forwarding forwarding = new Forwarding(Set.of("10.0.0.1", "10.0.0.2"), Set.of());

    @Test
    void forwarded_fromTheNearestTrustedProxy_isUsed_andForgedLeftElementsAreNot() throws Exception {
        ProtocolRequest chain = request(
                "10.0.0.1",
                Map.of(
                        "Forwarded",
                        List.of(
                                "for=6.6.6.6;host=evil.example;proto=http, for=198.51.100.7;host=api.example.com;proto=https, "
                                        + "for=10.0.0.2;host=internal-lb;proto=http")));
        assertThat(forwarding.base(chain)).isEqualTo("https://api.example.com/app");
    }

    @Test
    void forwardedWithIpv6AndPorts_isUnderstood() throws Exception {
        ProtocolRequest request = request(
                "10.0.0.1",
                Map.of("Forwarded", List.of("for=\"[2001:db8::1]:4711\";proto=https;host=\"[2001:db8::2]:443\"")));
        assertThat(forwarding.base(request)).isEqualTo("https://[2001:db8::2]/app");
    }

    @Test
    void xForwardedPort_replacesThePort_andDefaultPortsDisappear() throws Exception {
        ProtocolRequest request = request(
                "10.0.0.2",
                Map.of(
                        "X-Forwarded-Proto",
                        List.of("https"),
                        "X-Forwarded-Host",
                        List.of("api.example.com:9999"),
                        "X-Forwarded-Port",
                        List.of("443")));
        assertThat(forwarding.base(request)).isEqualTo("https://api.example.com/app");
    }

    @Test
    void emptyListElementsFromATrustedProxy_countAsNoValue_notAnError() throws Exception {
        // "," split without a limit is an empty array: its last element was read out of bounds (a 500)
        for (String header :
                List.of("X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix")) {
            for (String value : List.of(",", ", ,", "api.example.com,")) {
                if (!header.equals("X-Forwarded-Host") && value.startsWith("api")) {
                    continue;
                }
                assertThat(forwarding.base(request("10.0.0.2", Map.of(header, List.of(value)))))
                        .as(header + ": " + value)
                        .isEqualTo("http://10.0.0.5:8080/app");
            }
        }
    }

    @Test
    void untrustedPeers_getTheirOwnOrigin() throws Exception {
        ProtocolRequest request = request("203.0.113.9", Map.of("X-Forwarded-Host", List.of("evil.example")));
        assertThat(forwarding.base(request)).isEqualTo("http://10.0.0.5:8080/app");
    }

    /** The last direct origin is remembered; a proxy's request or another origin never gets its base. */
    @Test
    void theRememberedDirectOrigin_isNeverGivenToAProxiedRequestOrAnotherOrigin() throws Exception {
        ProtocolRequest direct = request("203.0.113.9", Map.of());
        ProtocolRequest proxied = request("10.0.0.1", Map.of("X-Forwarded-Host", List.of("api.example.com")));
        assertThat(forwarding.base(direct)).isEqualTo("http://10.0.0.5:8080/app");
        assertThat(forwarding.base(proxied)).isEqualTo("http://api.example.com/app");
        assertThat(forwarding.base(direct)).isEqualTo("http://10.0.0.5:8080/app");
        ProtocolRequest otherContext = new ProtocolRequest(
                "GET",
                "/jobs",
                "",
                Map.of(),
                "",
                "http://10.0.0.5:8080",
                "",
                "203.0.113.9",
                new ByteArrayInputStream(new byte[0]));
        assertThat(forwarding.base(otherContext)).isEqualTo("http://10.0.0.5:8080");
        Forwarding restricted = new Forwarding(Set.of(), Set.of("api.example.com"));
        assertThat(restricted.base(new ProtocolRequest(
                        "GET",
                        "/jobs",
                        "",
                        Map.of(),
                        "",
                        "http://api.example.com",
                        "",
                        "203.0.113.9",
                        new ByteArrayInputStream(new byte[0]))))
                .isEqualTo("http://api.example.com");
        for (int i = 0; i < 2; i++) { // refused every time, not only before a good one was remembered
            assertThatThrownBy(() -> restricted.base(request("203.0.113.9", Map.of())))
                    .isInstanceOf(Forwarding.Refused.class);
        }
    }

    @Test
    void badValuesFromATrustedProxy_areRefused() {
        for (Map<String, List<String>> headers : List.of(
                Map.of("X-Forwarded-Prefix", List.of("/a/../b")),
                Map.of("X-Forwarded-Port", List.of("80a")),
                Map.of("X-Forwarded-Port", List.of("0")),
                Map.of("X-Forwarded-Port", List.of("65536")),
                Map.of("X-Forwarded-Host", List.of("api.example.com:70000")),
                Map.of("X-Forwarded-Prefix", List.of("/a/./b")),
                Map.of("X-Forwarded-Prefix", List.of("/a/%2E%2e")),
                Map.of("X-Forwarded-Prefix", List.of("/a;jsessionid=x")),
                Map.of("X-Forwarded-Prefix", List.of("a/b")),
                Map.of("X-Forwarded-Prefix", List.of("/a//b")),
                Map.of("Forwarded", List.of("proto")),
                Map.of("Forwarded", List.of("host=\"unterminated")))) {
            assertThatThrownBy(() -> forwarding.base(request("10.0.0.1", headers)))
                    .as(headers.toString())
                    .isInstanceOf(Forwarding.Refused.class);
        }
    }

    @Test
    void forwarded_quotedValues_mayHoldCommasSemicolonsAndEscapes() throws Exception {
        ProtocolRequest request = request(
                "10.0.0.1",
                Map.of(
                        "Forwarded",
                        List.of("for=\"_hidden,x\";by=\"a;b=\\\"c\\\"\";proto=https;host=api.example.com;;")));
        assertThat(forwarding.base(request)).isEqualTo("https://api.example.com/app");
    }

    @Test
    void allowedHosts_refuseEveryOtherHost() throws Exception {
        Forwarding strict = new Forwarding(Set.of(), Set.of("10.0.0.5:8080"));
        assertThat(strict.base(request("203.0.113.9", Map.of()))).isEqualTo("http://10.0.0.5:8080/app");
        ProtocolRequest forged = new ProtocolRequest(
                "GET",
                "/jobs",
                "",
                Map.of(),
                "",
                "http://evil.example",
                "",
                "1.2.3.4",
                new ByteArrayInputStream(new byte[0]));
        assertThatThrownBy(() -> strict.base(forged)).isInstanceOf(Forwarding.Refused.class);
    }

    @Test
    void allowedHosts_withoutAPort_allowOnlyTheSchemesDefaultPort() throws Exception {
        Forwarding strict = new Forwarding(Set.of(), Set.of("API.example.com", "dev.example:*", "[::1]:8080"));
        for (String origin : List.of(
                "https://api.example.com",
                "http://api.example.com",
                "https://api.example.com:443",
                "http://dev.example:1234",
                "http://[::1]:8080")) {
            strict.base(new ProtocolRequest(
                    "GET", "/jobs", "", Map.of(), "", origin, "", "1.2.3.4", new ByteArrayInputStream(new byte[0])));
        }
        for (String origin : List.of(
                "https://api.example.com:8443", "http://api.example.com:443", "http://[::1]:8081", "http://[::1]")) {
            assertThatThrownBy(() -> strict.base(new ProtocolRequest(
                            "GET",
                            "/jobs",
                            "",
                            Map.of(),
                            "",
                            origin,
                            "",
                            "1.2.3.4",
                            new ByteArrayInputStream(new byte[0]))))
                    .as(origin)
                    .isInstanceOf(Forwarding.Refused.class);
        }
    }

    @Test
    void prefer_readsWaitAndRespondAsync_andIgnoresTheRest() {
        assertThat(Preferences.parse(request("1.1.1.1", Map.of("Prefer", List.of("respond-async, wait=5")))))
                .isEqualTo(new Preferences(Optional.of(Duration.ofSeconds(5)), true));
        assertThat(Preferences.parse(request("1.1.1.1", Map.of("Prefer", List.of("return=minimal", "WAIT=\"7\"")))))
                .isEqualTo(new Preferences(Optional.of(Duration.ofSeconds(7)), false));
        assertThat(Preferences.parse(request("1.1.1.1", Map.of("Prefer", List.of("wait=3, wait=9"))))
                        .waitFor())
                .as("the first wins")
                .contains(Duration.ofSeconds(3));
        assertThat(Preferences.parse(request("1.1.1.1", Map.of("Prefer", List.of("wait=99999999999999999"))))
                        .waitFor())
                .hasValueSatisfying(d -> assertThat(d).isGreaterThan(Duration.ofDays(365)));
        for (String bad :
                List.of("wait=-1", "wait=x", "wait=", "wait=1.5", "wait=\"5", "wait=\"5\"x", "x".repeat(2000))) {
            assertThat(Preferences.parse(request("1.1.1.1", Map.of("Prefer", List.of(bad)))))
                    .as("RFC 7240 §2: what cannot be understood is ignored: " + bad)
                    .isEqualTo(Preferences.NONE);
        }
        assertThat(Preferences.parse(request("1.1.1.1", Map.of("Prefer", List.of("wait=x, wait=5"))))
                        .waitFor())
                .as("only the first wait counts, even when it cannot be understood")
                .isEmpty();
        assertThat(Preferences.parse(
                        request("1.1.1.1", Map.of("Prefer", List.of("foo=\"a,wait=1\", respond-async; x=\"y;z\"")))))
                .as("commas and semicolons inside quoted values split nothing")
                .isEqualTo(new Preferences(Optional.empty(), true));
    }
}
