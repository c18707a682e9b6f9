package io.github.accepted.spi;

/**
 * Which of a job's payloads a read loads. A payload left out is still present, with its media
 * type, but not loaded ({@link io.github.accepted.Payload#isLoaded()} is false, and its bytes
 * cannot be read). Status monitors and job lists read with {@link #monitor(int, boolean)}: a
 * poll of a job with a 50 MB result then reads none of it, and a list page no inputs.
 *
 * <p>A store may load more than asked (the in-memory store always has everything at hand), never
 * less. Jobs read with anything but {@link #ALL} are for showing: the engine never runs or
 * changes one.
 *
 * @param input          whether to load the input
 * @param maxResultBytes load the result only if it is at most this many bytes
 */
public record Fetch(boolean input, int maxResultBytes) {

    /** Everything: what {@link JobStore#find(io.github.accepted.JobId)} reads. */
    public static final Fetch ALL = new Fetch(true, Integer.MAX_VALUE);

    /** Checks the bound. */
    public Fetch {
        if (maxResultBytes < 0) {
            throw new IllegalArgumentException("maxResultBytes must not be negative");
        }
    }

    /**
     * What a status monitor shows: a result only up to the size it is shown inline, the input
     * only if the monitor echoes it.
     */
    public static Fetch monitor(int inlineResultBytes, boolean input) {
        return new Fetch(input, inlineResultBytes);
    }

    /** Whether this loads everything. */
    public boolean all() {
        return input && maxResultBytes == Integer.MAX_VALUE;
    }
}
