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
     * 16 bytes at a time from the platform's default {@link SecureRandom}, read 256 bytes at once
     * into a pool of the calling thread's own: one call (and, on Linux, one read of
     * {@code /dev/urandom}) per 16 ids instead of one per id, which was 4 % of a submission's
     * request-thread time, and no lock of ours around it (a pool shared by all threads under one
     * lock made request threads wait for a holder the scheduler had descheduled: 43 waits of 10 to
     * 76 ms in five seconds of a loaded benchmark). Each byte is handed out once and wiped from the
     * pool as it is; the bytes are those of the {@code SecureRandom}, unchanged. A thread keeps at
     * most 256 bytes.
     */
    private static final class RandomBits {

        private static final int BYTES = 16;
        private static final SecureRandom RANDOM = new SecureRandom();
        private static final ThreadLocal<RandomBits> POOLS = ThreadLocal.withInitial(RandomBits::new);

        private final byte[] pool = new byte[BYTES * 16];
        private int next = pool.length;

        private RandomBits() {}

        static byte[] next() {
            RandomBits bits = POOLS.get();
            byte[] pool = bits.pool;
            if (bits.next == pool.length) {
                RANDOM.nextBytes(pool);
                bits.next = 0;
            }
            int from = bits.next;
            byte[] bytes = Arrays.copyOfRange(pool, from, from + BYTES);
            Arrays.fill(pool, from, from + BYTES, (byte) 0);
            bits.next = from + BYTES;
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
