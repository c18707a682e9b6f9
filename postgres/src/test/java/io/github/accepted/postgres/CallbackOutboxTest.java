package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.github.accepted.Accepted;
import io.github.accepted.CallbackRequest;
import io.github.accepted.Callbacks;
import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.internal.EngineInternals;
import io.github.accepted.spi.Callback;
import io.github.accepted.spi.CallbackState;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable callbacks on PostgreSQL (issue 16, item 2): the outbox row becomes pending in the
 * outcome's transaction, so a callback survives the instance that ran the job, and any instance
 * delivers it, once per webhook-id to a deduplicating receiver.
 */
class CallbackOutboxTest {

    static final String TYPE = "work";
    static final String SECRET = "whsec_"
            + Base64.getEncoder().encodeToString("a secret for the outbox test".getBytes(StandardCharsets.US_ASCII));

    record Work(int n) {}

    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final List<String> badSignatures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Accepted> engines = new ArrayList<>();
    private HttpServer receiver;
    private String database;
    private DataSource pool;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabases.newDatabase();
        pool = TestDatabases.pool(database, 8);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            if (!signature.equals(sign(id, timestamp, body))) {
                badSignatures.add(id);
            }
            deliveries.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        engines.forEach(Accepted::close);
        receiver.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static String sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring(6)), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Accepted instance(String name) {
        PostgresJobStore store = PostgresJobStore.builder(pool).instanceId(name).build();
        Accepted accepted = Accepted.builder()
                .store(store)
                .handler(TYPE, Work.class, (input, context) -> input)
                .pollInterval(Duration.ofMillis(200))
                .callbacks(Callbacks.builder()
                        .secret(SECRET)
                        .allow("127.0.0.1")
                        .outbox(PostgresCallbackOutbox.on(pool))
                        .retries(Duration.ofMillis(50), Duration.ofMillis(200))
                        .pollInterval(Duration.ofMillis(20))
                        .build())
                .build();
        engines.add(accepted);
        return accepted;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void aCallbackOfAKilledInstance_isDeliveredByAnother_once() throws Exception {
        PostgresJobStore.builder(pool).build(); // the schema, before the doomed instance verifies it
        Process doomed = new ProcessBuilder(
                        javaBinary(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        DoomedCallbackInstance.class.getName(),
                        TestDatabases.jdbcUrl(database),
                        hookUrl())
                .redirectErrorStream(true)
                .start();
        String ended = null;
        List<String> seen = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ENDED ")) {
                    ended = line.substring("ENDED ".length());
                    break;
                }
                seen.add(line);
            }
            doomed.destroyForcibly(); // SIGKILL: the callback was never attempted there
            assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ended).as("the doomed instance's output: %s", seen).isNotNull();
        assertThat(deliveries).isEmpty();

        Accepted survivor = instance("survivor");
        JobId id = new JobId(ended);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> EngineInternals.of(survivor).callbacks(id).get(0).state() == CallbackState.DELIVERED);
        Thread.sleep(500); // room for a wrong second delivery to show
        assertThat(deliveries).containsOnlyKeys("msg_" + ended + "_0");
        assertThat(deliveries.get("msg_" + ended + "_0").get()).isEqualTo(1);
        assertThat(badSignatures).isEmpty();
    }

    @Test
    void twoLiveInstances_deliverEachCallbackOnce() throws Exception {
        Accepted first = instance("first");
        Accepted second = instance("second");
        List<JobId> ids = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            Accepted via = n % 2 == 0 ? first : second;
            Job job = via.submitJson(
                            TYPE,
                            "",
                            ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8),
                            new CallbackRequest(
                                    List.of(hookUrl()), CallbackRequest.ALL_EVENTS, "http://app.example/jobs"))
                    .job();
            ids.add(job.id());
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ids.stream().allMatch(id -> EngineInternals.of(first).callbacks(id).stream()
                        .allMatch(c -> c.state() == CallbackState.DELIVERED)));
        assertThat(deliveries).hasSize(20);
        assertThat(deliveries.values())
                .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(badSignatures).isEmpty();
        Callback one = EngineInternals.of(second).callbacks(ids.get(0)).get(0);
        assertThat(one.attempts()).isEqualTo(1);
        assertThat(one.endedAt()).isPresent();
    }

    @Test
    void aCallbackClaimedByAnInstanceThatDiedMidAttempt_isTakenOverWhenItsLeaseEnds() {
        PostgresJobStore store =
                PostgresJobStore.builder(pool).instanceId("quiet").build();
        Accepted quiet = Accepted.builder() // runs the job, never looks for due callbacks
                .store(store)
                .handler(TYPE, Work.class, (input, context) -> input)
                .callbacks(Callbacks.builder()
                        .secret(SECRET)
                        .allow("127.0.0.1")
                        .outbox(PostgresCallbackOutbox.on(pool))
                        .pollInterval(Duration.ofDays(1))
                        .build())
                .build();
        engines.add(quiet);
        Job job = quiet.submitJson(
                        TYPE,
                        "",
                        "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                        new CallbackRequest(List.of(hookUrl()), CallbackRequest.ALL_EVENTS, "http://a/jobs"))
                .job();
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        EngineInternals.of(quiet).callbacks(job.id()).get(0).state() == CallbackState.PENDING);
        PostgresCallbackOutbox dead = PostgresCallbackOutbox.on(pool);
        List<Callback> claimed = dead.claim(java.time.Instant.now(), 10, Duration.ofSeconds(1)); // then it "dies"
        assertThat(claimed).hasSize(1);

        Accepted survivor = instance("survivor");
        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        EngineInternals.of(survivor).callbacks(job.id()).get(0).state() == CallbackState.DELIVERED);
        assertThat(EngineInternals.of(survivor).callbacks(job.id()).get(0).attempts())
                .isEqualTo(2);
        assertThat(deliveries.get("msg_" + job.id().value() + "_0").get()).isEqualTo(1);
        assertThat(dead.record(claimed.get(0), claimed.get(0).failed("late")))
                .as("a late outcome is not recorded")
                .isFalse();
        assertThat(EngineInternals.of(survivor).callbacks(job.id()).get(0).state())
                .isEqualTo(CallbackState.DELIVERED);
    }

    @Test
    void aRefusedCreation_leavesNoCallbackBehind() {
        PostgresJobStore store =
                PostgresJobStore.builder(pool).instanceId("full").maxQueued(1).build();
        Accepted full = Accepted.builder()
                .store(store)
                .executor(io.github.accepted.spi.JobExecutor.fixedThreadPool(1))
                .handler(TYPE, Work.class, (input, context) -> {
                    Thread.sleep(60_000);
                    return input;
                })
                .shutdownTimeout(Duration.ZERO)
                .callbacks(Callbacks.builder()
                        .secret(SECRET)
                        .allow("127.0.0.1")
                        .outbox(PostgresCallbackOutbox.on(pool))
                        .build())
                .build();
        engines.add(full);
        List<Job> accepted = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            try {
                accepted.add(full.submitJson(
                                TYPE,
                                "",
                                "{\"n\":1}".getBytes(StandardCharsets.UTF_8),
                                new CallbackRequest(List.of(hookUrl()), CallbackRequest.ALL_EVENTS, "http://a/jobs"))
                        .job());
            } catch (io.github.accepted.RejectedJobException expected) {
                // the queue is full: its callbacks must go too
            }
        }
        assertThat(accepted).hasSizeLessThan(5);
        assertThat(count("SELECT count(*) FROM accepted_callbacks")).isEqualTo(accepted.size());
    }

    private int count(String sql) {
        try (var c = pool.getConnection();
                var s = c.createStatement();
                var rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
