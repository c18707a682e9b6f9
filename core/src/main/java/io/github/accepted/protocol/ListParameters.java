package io.github.accepted.protocol;

import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.spi.ListCursor;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query of {@code GET /jobs}: {@code status} (repeated or comma-separated), {@code limit}
 * (1 to 100, default 20) and {@code cursor} (opaque, from a previous page's {@code next}).
 * Other parameters are ignored.
 */
record ListParameters(Set<JobStatus> statuses, int limit, Optional<ListCursor> after) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** Parses a raw query; throws {@link IllegalArgumentException} with a client-facing message. */
    static ListParameters parse(String query) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        int limit = ProtocolEngine.DEFAULT_PAGE_SIZE;
        Optional<ListCursor> after = Optional.empty();
        if (query.length() > 2048) {
            throw new IllegalArgumentException("The query string is too long.");
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (name) {
                case "status" -> {
                    for (String one : value.split(",", -1)) {
                        statuses.add(JobStatus.fromWireName(one.trim())
                                .orElseThrow(() -> new IllegalArgumentException(
                                        "status must be one of queued, running, succeeded, failed, canceled.")));
                    }
                }
                case "limit" -> {
                    try {
                        limit = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        limit = -1;
                    }
                    if (limit < 1 || limit > ProtocolEngine.MAX_PAGE_SIZE) {
                        throw new IllegalArgumentException(
                                "limit must be a whole number from 1 to " + ProtocolEngine.MAX_PAGE_SIZE + ".");
                    }
                }
                case "cursor" -> after = Optional.of(decodeCursor(value));
                default -> {
                    // unknown parameters are ignored
                }
            }
        }
        return new ListParameters(statuses, limit, after);
    }

    /** The query of the page after {@code cursor}, keeping this page's filters. */
    String nextQuery(ListCursor cursor) {
        StringBuilder query = new StringBuilder();
        if (!statuses.isEmpty()) {
            query.append("status=")
                    .append(statuses.stream().map(JobStatus::wireName).collect(Collectors.joining(",")))
                    .append('&');
        }
        query.append("limit=")
                .append(limit)
                .append("&cursor=")
                .append(URLEncoder.encode(encodeCursor(cursor), StandardCharsets.UTF_8));
        return query.toString();
    }

    static String encodeCursor(ListCursor cursor) {
        Instant createdAt = cursor.createdAt();
        long seconds = createdAt.getEpochSecond();
        int nanos = createdAt.getNano(); // within that second
        String text = seconds + "." + nanos + "." + cursor.id().value();
        return ENCODER.encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    static ListCursor decodeCursor(String value) {
        try {
            String[] parts = new String(DECODER.decode(value), StandardCharsets.US_ASCII).split("\\.", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException();
            }
            Instant createdAt = Instant.ofEpochSecond(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
            return new ListCursor(createdAt, new JobId(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor is not one this server gave out.");
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The query string is not well-formed.");
        }
    }
}
