package io.github.accepted.spi;

import io.github.accepted.Job;
import java.util.Objects;

/**
 * What {@link JobStore#createIdempotent(Job, IdempotencyKey)} did.
 *
 * @param job         the new job, or the one the key already named (as it is now)
 * @param created     whether {@code job} was created by this call
 * @param fingerprint the request fingerprint stored with the key
 */
public record KeyedCreate(Job job, boolean created, String fingerprint) {

    /** Checks for nulls. */
    public KeyedCreate {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
