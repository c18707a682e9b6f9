package io.github.accepted.protocol;

import io.github.accepted.Job;
import java.util.Optional;

/**
 * Entity tags of monitors and results, and {@code If-None-Match} (RFC 9110 §13.1.2).
 *
 * <p>A job's version grows with every change of status, progress or result, so the version is
 * the monitor's tag; a result never changes once written, so it is tagged by the version that
 * wrote it.
 */
final class EntityTags {

    private EntityTags() {
    }

    static String monitor(Job job) {
        return "\"" + job.id().value() + "-" + job.version() + "\"";
    }

    static String result(Job job) {
        return "\"" + job.id().value() + "-" + job.version() + "-r\"";
    }

    /**
     * Whether {@code If-None-Match} matches {@code tag} (weak comparison).
     *
     * @return empty when the header is absent; the answer otherwise
     * @throws IllegalArgumentException if the header is malformed
     */
    static Optional<Boolean> noneMatchHits(Optional<String> header, String tag) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        if (value.equals("*")) {
            return Optional.of(true);
        }
        if (value.length() > 4096) {
            throw new IllegalArgumentException("If-None-Match is too long.");
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
            if (value.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= n || value.charAt(i) != '"') {
                throw new IllegalArgumentException("If-None-Match must be * or a list of quoted entity tags.");
            }
            int close = value.indexOf('"', i + 1);
            if (close < 0) {
                throw new IllegalArgumentException("If-None-Match has an unterminated entity tag.");
            }
            String candidate = value.substring(i, close + 1);
            for (int c = 1; c < candidate.length() - 1; c++) {
                char ch = candidate.charAt(c);
                if (ch < 0x21 || ch == 0x7f) {
                    throw new IllegalArgumentException("If-None-Match holds a character not allowed in an entity tag.");
                }
            }
            hit |= candidate.equals(opaque);
            i = close + 1;
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && value.charAt(i) != ',') {
                throw new IllegalArgumentException("If-None-Match entity tags must be separated by commas.");
            }
        }
        return Optional.of(hit);
    }
}
