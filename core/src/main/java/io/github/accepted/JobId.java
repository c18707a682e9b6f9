package io.github.accepted;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of a job: 128 bits from {@link SecureRandom}, written as 22 URL-safe base64
 * characters ({@code [A-Za-z0-9_-]}).
 *
 * <p>Ids are unguessable on purpose: for anonymous jobs the id is the only capability that
 * reaches the job. Values are immutable and thread-safe.
 *
 * @param value the 22-character textual form
 */
public record JobId(String value) implements Comparable<JobId> {

    /** Length of the textual form. */
    public static final int LENGTH = 22;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /**
     * Checks the textual form.
     *
     * @throws IllegalArgumentException if {@code value} is not 22 URL-safe base64 characters
     */
    public JobId {
        Objects.requireNonNull(value, "value");
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("a job id is 22 URL-safe base64 characters");
        }
    }

    /** A new id with 128 random bits from {@link SecureRandom}. Thread-safe. */
    public static JobId random() {
        return new JobId(ENCODER.encodeToString(RandomBits.next()));
    }

    /**
     * 16 bytes at a time from the platform's default {@link SecureRandom}, read 1 KiB at once:
     * one call (and, on Linux, one read of {@code /dev/urandom}) per 64 ids instead of one per id,
     * which was 4 % of a submission's request-thread time. Each byte is handed out once and wiped
     * from the pool as it is; the bytes are those of the {@code SecureRandom}, unchanged.
     */
    private static final class RandomBits {

        private static final int BYTES = 16;
        private static final SecureRandom RANDOM = new SecureRandom();
        private static final byte[] POOL = new byte[BYTES * 64];
        private static int next = POOL.length;

        private RandomBits() {}

        static synchronized byte[] next() {
            if (next == POOL.length) {
                RANDOM.nextBytes(POOL);
                next = 0;
            }
            byte[] bytes = Arrays.copyOfRange(POOL, next, next + BYTES);
            Arrays.fill(POOL, next, next + BYTES, (byte) 0);
            next += BYTES;
            return bytes;
        }
    }

    /**
     * Parses untrusted text (a path segment, say) without throwing.
     *
     * @return the id, or empty when {@code text} is not a well-formed id
     */
    public static Optional<JobId> parse(String text) {
        return text != null && isWellFormed(text) ? Optional.of(new JobId(text)) : Optional.empty();
    }

    private static boolean isWellFormed(String text) {
        if (text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        // 16 bytes encode to 22 characters whose last one carries 2 bits: only A, Q, g, w are canonical.
        char last = text.charAt(LENGTH - 1);
        return last == 'A' || last == 'Q' || last == 'g' || last == 'w';
    }

    @Override
    public int compareTo(JobId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
