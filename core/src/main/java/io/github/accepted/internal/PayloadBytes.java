package io.github.accepted.internal;

import io.github.accepted.Payload;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Not API. The array behind a {@link Payload}, without the copy {@link Payload#bytes()} makes, for
 * the stores of sibling modules to bind to a statement. <strong>Read-only</strong>: a payload is
 * immutable because no one writes to this array; a caller only hands it to something that reads
 * it (a JDBC driver sending it), never keeps it, and never changes it. {@code Payload} registers
 * the accessor when it is loaded.
 */
public final class PayloadBytes {

    private static volatile @Nullable Function<Payload, byte[]> access;

    private PayloadBytes() {}

    /**
     * Registers the accessor; called once by {@link Payload}'s class initialisation.
     *
     * @throws IllegalStateException if called a second time
     */
    public static synchronized void register(Function<Payload, byte[]> value) {
        if (access != null) {
            throw new IllegalStateException("payload bytes are registered already");
        }
        access = value;
    }

    /**
     * The array behind {@code payload}, not copied: read it, never write to it or keep it.
     *
     * @throws IllegalStateException if the payload was {@linkplain Payload#isLoaded() not loaded}
     */
    public static byte[] readOnly(Payload payload) {
        Function<Payload, byte[]> value = access;
        if (value == null) {
            throw new IllegalStateException("Payload did not register its bytes"); // it did, being loaded
        }
        return value.apply(payload);
    }
}
