package io.github.accepted.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * Not API. How every builder of Accepted refuses a setting given twice: one exception type
 * ({@link IllegalStateException}) and one message ({@code "<name> is set already"}). Each builder
 * holds one; not thread-safe, as builders are not.
 */
public final class SetOnce {

    private final Set<String> given = new HashSet<>();

    /** A tracker with nothing given yet. */
    public SetOnce() {}

    /**
     * Records that setting {@code name} is given now.
     *
     * @throws IllegalStateException if it was given before
     */
    public void mark(String name) {
        if (!given.add(name)) {
            throw new IllegalStateException(message(name));
        }
    }

    /** The message for setting {@code name} given twice, the same in every builder. */
    public static String message(String name) {
        return name + " is set already";
    }
}
