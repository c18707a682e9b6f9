package io.github.accepted.protocol;

import io.github.accepted.Job;
import io.github.accepted.spi.Callback;
import java.util.List;
import java.util.Optional;

/**
 * Entity tags of monitors and results, {@code If-None-Match} and {@code If-Match}
 * (RFC 9110 §13.1.1–2).
 *
 * <p>A job's version grows with every change of status, progress or result, so the version is
 * the monitor's tag; a result never changes once written, so it is tagged by the version that
 * wrote it. A list of tags may come in one header line or several; they are one list.
 */
final class EntityTags {

    static final int MAX_LENGTH = 4096;

    private EntityTags() {}

    static String monitor(Job job) {
        return "\"" + job.id().value() + "-" + job.version() + "\"";
    }

    /**
     * The monitor's tag with the delivery state of its callbacks: these change after the job
     * ended, while its version no longer does. Before the job ends they are all waiting, and
     * the tag is {@link #monitor(Job)}'s.
     */
    static String monitor(Job job, List<Callback> callbacks) {
        if (callbacks.isEmpty() || !job.status().isTerminal()) {
            return monitor(job);
        }
        int digest = 1;
        for (Callback callback : callbacks) {
            digest = 31 * digest + callback.state().wireName().hashCode();
            digest = 31 * digest + callback.attempts();
        }
        return "\"" + job.id().value() + "-" + job.version() + "-c" + Integer.toHexString(digest) + "\"";
    }

    static String result(Job job) {
        return "\"" + job.id().value() + "-" + job.version() + "-r\"";
    }

    /**
     * Whether {@code If-None-Match} (every line of it) matches {@code tag}, by weak comparison.
     *
     * @return empty when the header is absent; the answer otherwise
     * @throws IllegalArgumentException if the header is malformed
     */
    static Optional<Boolean> noneMatchHits(List<String> lines, String tag) {
        return hits("If-None-Match", lines, tag, true);
    }

    /**
     * Whether {@code If-Match} (every line of it) matches {@code tag}, by strong comparison: a
     * weak tag never matches.
     *
     * @return empty when the header is absent; the answer otherwise
     * @throws IllegalArgumentException if the header is malformed
     */
    static Optional<Boolean> matchHits(List<String> lines, String tag) {
        return hits("If-Match", lines, tag, false);
    }

    private static Optional<Boolean> hits(String name, List<String> lines, String tag, boolean weak) {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        String value = String.join(", ", lines).trim();
        if (value.equals("*")) {
            return Optional.of(true);
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(name + " is too long.");
        }
        String opaque = tag.startsWith("W/") ? tag.substring(2) : tag;
        boolean hit = false;
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || value.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            boolean weakCandidate = value.startsWith("W/", i);
            if (weakCandidate) {
                i += 2;
            }
            if (i >= n || value.charAt(i) != '"') {
                throw new IllegalArgumentException(name + " must be * or a list of quoted entity tags.");
            }
            int close = value.indexOf('"', i + 1);
            if (close < 0) {
                throw new IllegalArgumentException(name + " has an unterminated entity tag.");
            }
            String candidate = value.substring(i, close + 1);
            for (int c = 1; c < candidate.length() - 1; c++) {
                char ch = candidate.charAt(c);
                if (ch < 0x21 || ch == 0x7f) {
                    throw new IllegalArgumentException(name + " holds a character not allowed in an entity tag.");
                }
            }
            hit |= candidate.equals(opaque) && (weak || (!weakCandidate && !tag.startsWith("W/")));
            i = close + 1;
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && value.charAt(i) != ',') {
                throw new IllegalArgumentException(name + " entity tags must be separated by commas.");
            }
        }
        return Optional.of(hit);
    }
}
