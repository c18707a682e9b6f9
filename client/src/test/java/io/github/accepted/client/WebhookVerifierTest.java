package io.github.accepted.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The receiver's side of callbacks (issue 16, item 4), on the Standard Webhooks example. */
class WebhookVerifierTest {

    // the example of the Standard Webhooks specification and its reference libraries
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final String TIMESTAMP = "1614265330";
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final WebhookVerifier verifier =
            WebhookVerifier.of(SECRET).withClock(Clock.fixed(Instant.ofEpochSecond(1614265330 + 60), ZoneOffset.UTC));

    @Test
    void theSpecificationsExample_verifies() {
        assertThat(verifier.verify(ID, TIMESTAMP, SIGNATURE, BODY)).isEqualTo(ID);
    }

    @Test
    void headersAreReadByTheirLowerCaseNames() {
        Map<String, String> headers = Map.of(
                "webhook-id", ID, "webhook-timestamp", TIMESTAMP, "webhook-signature", "v1,bm90IGl0 " + SIGNATURE);
        assertThat(verifier.verify(name -> Optional.ofNullable(headers.get(name)), BODY))
                .isEqualTo(ID);
    }

    @Test
    void aChangedBodyOrId_doesNotVerify() {
        byte[] changed = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier.verify(ID, TIMESTAMP, SIGNATURE, changed))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verifier.verify("msg_other", TIMESTAMP, SIGNATURE, BODY))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void anotherSecret_doesNotVerify_butAnyOfSeveralDoes() {
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
        WebhookVerifier wrong =
                WebhookVerifier.of(other).withClock(Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC));
        assertThatThrownBy(() -> wrong.verify(ID, TIMESTAMP, SIGNATURE, BODY))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("no webhook-signature");
        WebhookVerifier rotating = WebhookVerifier.of(other, SECRET)
                .withClock(Clock.fixed(Instant.ofEpochSecond(1614265330), ZoneOffset.UTC));
        assertThat(rotating.verify(ID, TIMESTAMP, SIGNATURE, BODY)).isEqualTo(ID);
    }

    @Test
    void aTimestampOutsideTheTolerance_isRefused_eitherWay() {
        assertThatThrownBy(() -> verifier.withTolerance(Duration.ofSeconds(30)).verify(ID, TIMESTAMP, SIGNATURE, BODY))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("tolerance");
        WebhookVerifier early = WebhookVerifier.of(SECRET)
                .withClock(Clock.fixed(Instant.ofEpochSecond(1614265330 - 3600), ZoneOffset.UTC));
        assertThatThrownBy(() -> early.verify(ID, TIMESTAMP, SIGNATURE, BODY))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void missingOrMalformedHeaders_areRefused() {
        assertThatThrownBy(() -> verifier.verify(name -> Optional.empty(), BODY))
                .isInstanceOf(WebhookVerificationException.class)
                .hasMessageContaining("webhook-id is missing");
        assertThatThrownBy(() -> verifier.verify(ID, "soon", SIGNATURE, BODY))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verifier.verify(ID, TIMESTAMP, "v1,***", BODY))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> verifier.verify(ID, TIMESTAMP, "v2," + SIGNATURE.substring(3), BODY))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void secretsMustBeWhsecBase64() {
        assertThatThrownBy(() -> WebhookVerifier.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookVerifier.of("whsec_***")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(WebhookVerifier::of).isInstanceOf(IllegalArgumentException.class);
    }
}
