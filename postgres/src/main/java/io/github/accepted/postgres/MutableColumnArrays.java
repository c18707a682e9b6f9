package io.github.accepted.postgres;

import io.github.accepted.Job;
import io.github.accepted.Payload;
import io.github.accepted.Problem;
import io.github.accepted.internal.PayloadBytes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The columns a job's state changes (status through {@code expires_at}, in the order of
 * {@link JobRows#MUTABLE_ASSIGNMENTS}) for many jobs at once, as the arrays a batched
 * {@code INSERT} or {@code UPDATE … FROM unnest(…)} binds: 17 parameters, {@code text},
 * {@code int8}, {@code int4}, {@code bytea}, {@code bool}, and timestamps as {@code int8}
 * microseconds that the statement turns into {@code timestamptz} with
 * {@link PgTimestamps#fromMicros} (the caller checks {@link #fits} first). Payloads are bound
 * from the arrays they hold, not copied ({@link PayloadBytes}); a column NULL in every row is
 * bound as one NULL ({@link ArrayParameters}).
 */
final class MutableColumnArrays {

    private final String[] status;
    private final Long[] version;
    private final Integer[] attempt;
    private final Integer[] percent;
    private final String[] message;
    private final byte[][] metadata;
    private final String[] resultType;
    private final byte[][] result;
    private final String[] errorType;
    private final String[] errorTitle;
    private final Integer[] errorStatus;
    private final String[] errorDetail;
    private final Boolean[] cancel;
    private final Long[] updatedAt;
    private final Long[] startedAt;
    private final Long[] finishedAt;
    private final Long[] expiresAt;

    MutableColumnArrays(List<Job> jobs) {
        int n = jobs.size();
        status = new String[n];
        version = new Long[n];
        attempt = new Integer[n];
        percent = new Integer[n];
        message = new String[n];
        metadata = new byte[n][];
        resultType = new String[n];
        result = new byte[n][];
        errorType = new String[n];
        errorTitle = new String[n];
        errorStatus = new Integer[n];
        errorDetail = new String[n];
        cancel = new Boolean[n];
        updatedAt = new Long[n];
        startedAt = new Long[n];
        finishedAt = new Long[n];
        expiresAt = new Long[n];
        for (int r = 0; r < n; r++) {
            Job job = jobs.get(r);
            status[r] = job.status().wireName();
            version[r] = job.version();
            attempt[r] = job.attempt();
            percent[r] = job.progress().percent();
            message[r] = job.progress().message();
            Payload meta = job.metadata().orElse(null);
            metadata[r] = meta == null ? null : PayloadBytes.readOnly(meta);
            Payload value = job.result().orElse(null);
            if (value != null) {
                resultType[r] = value.mediaType();
                result[r] = PayloadBytes.readOnly(value);
            }
            Problem error = job.error().orElse(null);
            if (error != null) {
                errorType[r] = error.type();
                errorTitle[r] = error.title();
                errorStatus[r] = error.status();
                errorDetail[r] = error.detail();
            }
            cancel[r] = job.cancelRequested();
            updatedAt[r] = PgTimestamps.micros(job.updatedAt());
            startedAt[r] = micros(job.startedAt());
            finishedAt[r] = micros(job.finishedAt());
            expiresAt[r] = micros(job.expiresAt());
        }
    }

    private static @Nullable Long micros(Optional<Instant> instant) {
        return instant.isPresent() ? PgTimestamps.micros(instant.get()) : null;
    }

    /** Whether each instant of {@code job} can be bound as microseconds ({@link PgTimestamps#micros}). */
    static boolean fits(Job job) {
        return PgTimestamps.fits(job.updatedAt())
                && job.startedAt().map(PgTimestamps::fits).orElse(true)
                && job.finishedAt().map(PgTimestamps::fits).orElse(true)
                && job.expiresAt().map(PgTimestamps::fits).orElse(true);
    }

    /** The SQL types of the 17 arrays, in order, as the statement casts its parameters. */
    static final String TYPES = "?::text[], ?::int8[], ?::int4[], ?::int4[], ?::text[], ?::bytea[], ?::text[], "
            + "?::bytea[], ?::text[], ?::text[], ?::int4[], ?::text[], ?::bool[], ?::int8[], ?::int8[], ?::int8[], "
            + "?::int8[]";

    /** Binds the 17 arrays from parameter {@code i} on; returns the next parameter's index. */
    int bind(Connection c, PreparedStatement s, int i) throws SQLException {
        ArrayParameters.bind(c, s, i++, "text", status);
        ArrayParameters.bind(c, s, i++, "int8", version);
        ArrayParameters.bind(c, s, i++, "int4", attempt);
        ArrayParameters.bind(c, s, i++, "int4", percent);
        ArrayParameters.bind(c, s, i++, "text", message);
        ArrayParameters.bind(c, s, i++, "bytea", metadata);
        ArrayParameters.bind(c, s, i++, "text", resultType);
        ArrayParameters.bind(c, s, i++, "bytea", result);
        ArrayParameters.bind(c, s, i++, "text", errorType);
        ArrayParameters.bind(c, s, i++, "text", errorTitle);
        ArrayParameters.bind(c, s, i++, "int4", errorStatus);
        ArrayParameters.bind(c, s, i++, "text", errorDetail);
        ArrayParameters.bind(c, s, i++, "bool", cancel);
        ArrayParameters.bind(c, s, i++, "int8", updatedAt);
        ArrayParameters.bind(c, s, i++, "int8", startedAt);
        ArrayParameters.bind(c, s, i++, "int8", finishedAt);
        ArrayParameters.bind(c, s, i++, "int8", expiresAt);
        return i;
    }
}
