package io.github.accepted.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accepted.Accepted;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * Accepted's strict input checks hold through the starter, with Boot 4's Jackson 3 mapper in the
 * same application and an application module added by a customizer (issue 12: a Spring-built
 * Jackson 2 mapper had turned them all off).
 */
@SpringBootTest(classes = StarterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StrictInputTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    Client client;

    @BeforeEach
    void client() {
        client = new Client(port);
    }

    @Test
    void validInput_isAccepted_withTheCustomizersModuleReadingItsField() {
        HttpResponse<String> reply =
                client.post("/api/rows", "alice", "{\"rows\":10,\"name\":\"q3\",\"price\":\"12.50 EUR\"}");

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(202);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"rows\":10,\"name\":\"q3\",\"unknown\":1}", // unknown field
                "{\"rows\":\"10\",\"name\":\"q3\"}", // a string for a number
                "{\"rows\":10.7,\"name\":\"q3\"}", // a fraction for an int
                "{\"rows\":10,\"name\":\"q3\"} trailing", // trailing garbage
                "{\"rows\":10,\"name\":\"q3\"}{}", // a second value
                "{\"rows\":null,\"name\":\"q3\"}", // null for a primitive
                "{\"rows\":10,\"name\":5}", // a number for a string
                "{\"rows\":10,\"name\":true}", // a boolean for a string
                "{\"rows\":10,\"name\":\"q3\",\"price\":\"cheap\"}", // the module's own check
                "{\"rows\":10,", // truncated
                "[10]" // not an object
            })
    void badInput_isRefusedWith400Problem_beforeAnythingIsQueued(String body) {
        HttpResponse<String> reply = client.post("/api/rows", "alice", body);

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
        assertThat(reply.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(reply.body()).contains("urn:accepted:problem:invalid-input").doesNotContain("Exception");
    }

    @Test
    void deepNesting_isRefused_byTheReadLimitsKeptThroughTheCustomizer() {
        String deep = "[".repeat(70) + "]".repeat(70);
        HttpResponse<String> shallow = client.post("/api/whoami", "alice", "{\"a\":[[[1]]]}");
        HttpResponse<String> reply = client.post("/api/whoami", "alice", "{\"a\":" + deep + "}");

        assertThat(shallow.statusCode()).as(shallow.body()).isEqualTo(202);

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
    }

    @Test
    void springsMapperIsJackson3_andAcceptedKeepsItsOwnStrictJackson2Mapper() {
        assertThat(context.getBeanNamesForType(tools.jackson.databind.json.JsonMapper.class))
                .isNotEmpty();
        assertThat(context.getBeanNamesForType(ObjectMapper.class))
                .as("no Jackson 2 mapper bean for Spring to pick up")
                .isEmpty();
        ObjectMapper mapper = context.getBean(Accepted.class).objectMapper();
        assertThat(mapper).isNotSameAs(Accepted.defaultObjectMapper());
        assertThat(mapper.getDeserializationConfig()
                        .isEnabled(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES))
                .isTrue();
    }
}
