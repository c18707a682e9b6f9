package io.github.accepted.conformance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * A load generator run in its own JVM (so its sockets do not count against the server's file
 * limit): opens N long-polls on one monitor at once, prints {@code SENT N}, then, when all have
 * been answered, {@code DONE {status=count, …}}.
 *
 * <p>Arguments: monitor URL, N, the ETag to send in {@code If-None-Match}, the wait in seconds.
 */
public final class LongPollLoad {

    private LongPollLoad() {}

    public static void main(String[] args) throws Exception {
        URI monitor = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        String tag = args[2];
        String wait = args[3];
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(60))
                .executor(Executors.newFixedThreadPool(4))
                .build();
        List<CompletableFuture<Integer>> answers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            HttpRequest request = HttpRequest.newBuilder(monitor)
                    .timeout(Duration.ofMinutes(5))
                    .header("Prefer", "wait=" + wait)
                    .header("If-None-Match", tag)
                    .GET()
                    .build();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode)
                    .exceptionally(error -> -1));
            if (i % 250 == 249) {
                Thread.sleep(25);
            }
        }
        System.out.println("SENT " + count);
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<Integer> answer : answers) {
            statuses.merge(answer.join(), 1, Integer::sum);
        }
        System.out.println("DONE " + statuses);
        System.exit(0);
    }
}
