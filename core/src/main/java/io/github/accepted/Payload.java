package io.github.accepted;

import io.github.accepted.internal.PayloadBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Bytes with a media type: a job's input, or its result.
 *
 * <p>A handler that returns a {@code Payload} has its bytes served as they are, with this media
 * type, at {@code /jobs/{id}/result}; any other return value is written as JSON. The array is
 * copied on the way in and out, so a payload is immutable and thread-safe.
 *
 * <p>A payload read for a status monitor may be {@linkplain #isLoaded() not loaded}: a store
 * left its bytes in the database because the monitor does not show them (see
 * {@link io.github.accepted.spi.Fetch}). Its media type is known; its content is not.
 *
 * @param mediaType such as {@code application/json} or {@code application/pdf}
 * @param bytes     the content
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals and hashCode below compare the content
public record Payload(String mediaType, byte[] bytes) {

    /** The media type of JSON inputs and results. */
    public static final String JSON = "application/json";

    /** The bytes of every payload that is not loaded: never handed out. */
    private static final byte[] NOT_LOADED = new byte[0];

    static {
        PayloadBytes.register(payload -> {
            payload.requireLoaded();
            return payload.bytes;
        });
    }

    /** Copies the array and checks the media type. */
    public Payload {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(bytes, "bytes");
        if (mediaType.isBlank() || mediaType.indexOf('\r') >= 0 || mediaType.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("media type must be a single non-blank line");
        }
        bytes = bytes == NOT_LOADED ? NOT_LOADED : bytes.clone();
    }

    /**
     * A payload of this media type whose bytes a store did not load (see
     * {@link io.github.accepted.spi.Fetch}): {@link #bytes()}, {@link #size()} and
     * {@link #text()} throw.
     */
    public static Payload notLoaded(String mediaType) {
        return new Payload(mediaType, NOT_LOADED);
    }

    /** Whether the content is here; false for a payload a store left unread. */
    public boolean isLoaded() {
        return bytes != NOT_LOADED;
    }

    private void requireLoaded() {
        if (bytes == NOT_LOADED) {
            throw new IllegalStateException(
                    "this " + mediaType + " payload was not loaded: read the job with " + "Fetch.ALL");
        }
    }

    /** A JSON payload holding this UTF-8 text (not checked for well-formedness). */
    public static Payload json(String json) {
        return new Payload(JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A copy of the content.
     *
     * @throws IllegalStateException if it was {@linkplain #isLoaded() not loaded}
     */
    @Override
    public byte[] bytes() {
        requireLoaded();
        return bytes.clone();
    }

    /**
     * The content's length in bytes.
     *
     * @throws IllegalStateException if it was {@linkplain #isLoaded() not loaded}
     */
    public int size() {
        requireLoaded();
        return bytes.length;
    }

    /**
     * The content decoded as UTF-8.
     *
     * @throws IllegalStateException if it was {@linkplain #isLoaded() not loaded}
     */
    public String text() {
        requireLoaded();
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the media type is JSON ({@code application/json} or any {@code +json} type). */
    public boolean isJson() {
        String base = mediaType.toLowerCase(Locale.ROOT);
        int semicolon = base.indexOf(';');
        if (semicolon >= 0) {
            base = base.substring(0, semicolon);
        }
        base = base.strip();
        return base.equals(JSON) || base.endsWith("+json");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload other
                && mediaType.equals(other.mediaType)
                && isLoaded() == other.isLoaded()
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * mediaType.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Payload[" + mediaType + ", " + (isLoaded() ? bytes.length + " bytes]" : "not loaded]");
    }
}
