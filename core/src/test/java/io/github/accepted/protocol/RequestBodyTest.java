package io.github.accepted.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Accepted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the engine reads a body it is given as a {@link Flow.Publisher} (as non-blocking adapters
 * do) or as bytes: after the head's checks, one buffer at a time, at most the limit.
 */
class RequestBodyTest {

    record Text(String text) {}

    private static final int LIMIT = 1024;

    private final Accepted accepted =
            Accepted.builder().handler("t", Text.class, (in, ctx) -> in).build();
    private final ProtocolEngine engine = ProtocolEngine.builder(accepted)
            .route("POST", "/api/t", "t")
            .maxBodyBytes(LIMIT)
            .build();

    @AfterEach
    void close() {
        accepted.close();
    }

    /** A publisher the test drives: it sends a buffer only when the engine asked for one. */
    static final class ScriptedPublisher implements Flow.Publisher<ByteBuffer>, Flow.Subscription {
        private Flow.Subscriber<? super ByteBuffer> subscriber;
        int subscriptions;
        long demand;
        long mostDemanded;
        boolean cancelled;

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
            subscriptions++;
            subscriber = s;
            s.onSubscribe(this);
        }

        @Override
        public void request(long n) {
            demand += n;
            mostDemanded = Math.max(mostDemanded, demand);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        /** Sends {@code bytes} in one buffer (a reused one, like a container's), if asked for. */
        boolean emit(byte[] bytes) {
            if (demand == 0 || cancelled) {
                return false;
            }
            demand--;
            ByteBuffer reused = ByteBuffer.allocate(bytes.length + 8);
            reused.put(bytes).flip();
            subscriber.onNext(reused);
            reused.clear();
            reused.put(new byte[reused.capacity()]); // scribbled over once onNext returned
            return true;
        }

        void complete() {
            subscriber.onComplete();
        }

        void fail(Throwable error) {
            subscriber.onError(error);
        }
    }

    private CompletableFuture<AcceptedResponse> submit(RequestBody body, String... headers) {
        Map<String, List<String>> map = new HashMap<>();
        map.put("Content-Type", List.of("application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return engine.handleAsync(
                new ProtocolRequest("POST", "/api/t", "", map, "alice", "http://example.test", "", "192.0.2.1", body));
    }

    @Test
    void publisherBody_isReadOneBufferAtATime_andAnsweredWhenItEnds() {
        ScriptedPublisher body = new ScriptedPublisher();
        CompletableFuture<AcceptedResponse> reply = submit(RequestBody.ofPublisher(body));
        for (String part : new String[] {"{\"te", "xt\":", "\"slow", "ly\"}"}) {
            assertThat(body.emit(part.getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(reply).as("answered only once the body ends").isNotDone();
        }
        body.complete();
        assertThat(reply.join().status()).isEqualTo(202);
        assertThat(reply.join().bodyText()).contains("\"type\":\"t\"");
        assertThat(body.mostDemanded)
                .as("never more than one buffer asked for ahead")
                .isEqualTo(1);
    }

    @Test
    void publisherBody_overTheLimit_isReadToItsEnd_andAnswered413() {
        ScriptedPublisher body = new ScriptedPublisher();
        CompletableFuture<AcceptedResponse> reply = submit(RequestBody.ofPublisher(body));
        for (int i = 0; i < 10; i++) {
            assertThat(body.emit(new byte[500])).as("still read, and dropped").isTrue();
        }
        assertThat(reply).isNotDone();
        body.complete();
        assertThat(reply.join().status()).isEqualTo(413);
        assertThat(reply.join().bodyText()).contains("urn:accepted:problem:payload-too-large");
    }

    @Test
    void publisherBody_farOverTheLimit_isCanceledAfterTheDiscardLimit_andAnswered413() {
        ScriptedPublisher body = new ScriptedPublisher();
        CompletableFuture<AcceptedResponse> reply = submit(RequestBody.ofPublisher(body));
        int sent = 0;
        while (body.emit(new byte[64 << 10]) && sent < 1000) {
            sent++;
        }
        assertThat(body.cancelled).isTrue();
        assertThat((long) sent << 16).isBetween(BodyReader.DISCARD_LIMIT, BodyReader.DISCARD_LIMIT + (128 << 10));
        assertThat(reply.join().status()).isEqualTo(413);
    }

    @Test
    void publisherThatFails_isABadRequest_andNothingIsQueued() {
        ScriptedPublisher body = new ScriptedPublisher();
        CompletableFuture<AcceptedResponse> reply = submit(RequestBody.ofPublisher(body));
        body.emit("{\"text\":".getBytes(StandardCharsets.UTF_8));
        body.fail(new IOException("connection reset"));
        assertThat(reply.join().status()).isEqualTo(400);
        assertThat(reply.join().bodyText())
                .contains("urn:accepted:problem:invalid-request")
                .doesNotContain("connection reset");
    }

    @Test
    void aRefusedHead_neverHasItsBodySubscribedTo() {
        Map<String, String[]> refusals = Map.of(
                "415 content type", new String[] {"Content-Type", "text/plain"},
                "415 content encoding", new String[] {"Content-Encoding", "gzip"},
                "400 content length", new String[] {"Content-Length", "many"},
                "413 content length past the discard limit", new String[] {"Content-Length", "99999999"},
                "413 content length with Expect", new String[] {"Content-Length", "2000", "Expect", "100-continue"});
        refusals.forEach((name, headers) -> {
            ScriptedPublisher body = new ScriptedPublisher();
            AcceptedResponse reply =
                    submit(RequestBody.ofPublisher(body), headers).join();
            assertThat(reply.status()).as(name).isEqualTo(Integer.parseInt(name.substring(0, 3)));
            assertThat(body.subscriptions).as(name).isZero();
        });
        ScriptedPublisher body = new ScriptedPublisher();
        AcceptedResponse wrongMethod = engine.handle(new ProtocolRequest(
                "PUT",
                "/api/t",
                "",
                Map.of(),
                "alice",
                "http://example.test",
                "",
                "192.0.2.1",
                RequestBody.ofPublisher(body)));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(body.subscriptions).isZero();
    }

    @Test
    void expectContinue_withALengthWithinTheLimit_readsTheBody() {
        ScriptedPublisher body = new ScriptedPublisher();
        CompletableFuture<AcceptedResponse> reply =
                submit(RequestBody.ofPublisher(body), "Content-Length", "12", "Expect", "100-continue");
        body.emit("{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        body.complete();
        assertThat(reply.join().status()).isEqualTo(202);
    }

    @Test
    void bytesBody_isSubmitted_andOverTheLimitIs413() {
        assertThat(submit(RequestBody.ofBytes("{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                        .join()
                        .status())
                .isEqualTo(202);
        assertThat(submit(RequestBody.ofBytes(new byte[LIMIT + 1])).join().status())
                .isEqualTo(413);
        assertThat(submit(RequestBody.empty()).join().status()).isEqualTo(400);
    }
}
