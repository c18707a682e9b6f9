package io.github.accepted.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The example as a user meets it: submit, poll, fetch the CSV; another user and strangers see nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "example.month-time=10ms")
class ExportApplicationTest {

    @LocalServerPort
    int port;

    @Test
    void eachUser_getsTheirOwnExport_andNobodyElseSeesIt() throws Exception {
        ExampleClient client = new ExampleClient(port);
        HttpResponse<String> submit = client.send("POST", "/api/exports", "alice", "{\"months\":3}");
        assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
        String monitor = submit.headers().firstValue("Location").orElseThrow();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.send("GET", monitor, "alice", null).statusCode() == 200);
        HttpResponse<String> csv = client.send("GET", monitor + "/result", "alice", null);
        assertThat(csv.headers().firstValue("Content-Type")).contains("text/csv");
        assertThat(csv.body())
                .startsWith("order,customer,month,amount\n")
                .contains(",alice,")
                .doesNotContain(",bob,");

        assertThat(client.send("GET", monitor, "bob", null).statusCode()).isEqualTo(404);
        assertThat(client.send("GET", "/jobs", "bob", null).body())
                .doesNotContain(monitor.substring(monitor.lastIndexOf('/') + 1));
        HttpResponse<String> stranger = client.send("GET", monitor, null, null);
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void badMonths_is400Problem() throws Exception {
        HttpResponse<String> reply = new ExampleClient(port).send("POST", "/api/exports", "bob", "{\"months\":30}");

        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.body()).contains("months must be between 1 and 24");
    }
}
