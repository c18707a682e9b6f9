package io.github.accepted.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A finished job's result: its bytes and media type, decodable as JSON. Immutable.
 */
public final class JobResult {

    private final String mediaType;
    private final byte[] bytes;
    private final ObjectMapper mapper;

    JobResult(String mediaType, byte[] bytes, ObjectMapper mapper) {
        this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
        this.bytes = bytes.clone();
        this.mapper = mapper;
    }

    /** The media type, such as {@code application/pdf}; {@code application/octet-stream} when unknown. */
    public String mediaType() {
        return mediaType;
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes as UTF-8 text. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the media type is JSON. */
    public boolean isJson() {
        String base = mediaType.toLowerCase(Locale.ROOT).split(";", -1)[0].trim();
        return base.equals("application/json") || base.endsWith("+json");
    }

    /**
     * Decodes the result as JSON into {@code type}.
     *
     * @throws MalformedResponseException if it is not JSON of that shape
     */
    public <T> T as(Class<T> type) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new MalformedResponseException("the result is not JSON of type " + type.getSimpleName(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobResult other && mediaType.equals(other.mediaType) && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * mediaType.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "JobResult[" + mediaType + ", " + bytes.length + " bytes]";
    }
}
