package io.github.accepted.postgres;

import io.github.accepted.Job;
import io.github.accepted.Payload;
import io.github.accepted.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The columns a job's state changes (status through {@code expires_at}, in the order of
 * {@link JobRows#MUTABLE_ASSIGNMENTS}) for many jobs at once, as the arrays a batched
 * {@code INSERT} or {@code UPDATE … FROM unnest(…)} binds: 17 parameters, {@code text},
 * {@code int8}, {@code int4}, {@code bytea}, {@code bool} and timestamps as {@code text}
 * (the caller checks {@link PgTimestamps#format} can write each instant).
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
    private final String[] updatedAt;
    private final String[] startedAt;
    private final String[] finishedAt;
    private final String[] expiresAt;

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
        updatedAt = new String[n];
        startedAt = new String[n];
        finishedAt = new String[n];
        expiresAt = new String[n];
        for (int r = 0; r < n; r++) {
            Job job = jobs.get(r);
            status[r] = job.status().wireName();
            version[r] = job.version();
            attempt[r] = job.attempt();
            percent[r] = job.progress().percent();
            message[r] = job.progress().message();
            metadata[r] = job.metadata().map(Payload::bytes).orElse(null);
            resultType[r] = job.result().map(Payload::mediaType).orElse(null);
            result[r] = job.result().map(Payload::bytes).orElse(null);
            errorType[r] = job.error().map(Problem::type).orElse(null);
            errorTitle[r] = job.error().map(Problem::title).orElse(null);
            errorStatus[r] = job.error().map(Problem::status).orElse(null);
            errorDetail[r] = job.error().map(Problem::detail).orElse(null);
            cancel[r] = job.cancelRequested();
            updatedAt[r] = PgTimestamps.format(job.updatedAt());
            startedAt[r] = job.startedAt().map(PgTimestamps::format).orElse(null);
            finishedAt[r] = job.finishedAt().map(PgTimestamps::format).orElse(null);
            expiresAt[r] = job.expiresAt().map(PgTimestamps::format).orElse(null);
        }
    }

    /** Binds the 17 arrays from parameter {@code i} on; returns the next parameter's index. */
    int bind(Connection c, PreparedStatement s, int i) throws SQLException {
        s.setArray(i++, c.createArrayOf("text", status));
        s.setArray(i++, c.createArrayOf("int8", version));
        s.setArray(i++, c.createArrayOf("int4", attempt));
        s.setArray(i++, c.createArrayOf("int4", percent));
        s.setArray(i++, c.createArrayOf("text", message));
        s.setArray(i++, c.createArrayOf("bytea", metadata));
        s.setArray(i++, c.createArrayOf("text", resultType));
        s.setArray(i++, c.createArrayOf("bytea", result));
        s.setArray(i++, c.createArrayOf("text", errorType));
        s.setArray(i++, c.createArrayOf("text", errorTitle));
        s.setArray(i++, c.createArrayOf("int4", errorStatus));
        s.setArray(i++, c.createArrayOf("text", errorDetail));
        s.setArray(i++, c.createArrayOf("bool", cancel));
        s.setArray(i++, c.createArrayOf("text", updatedAt));
        s.setArray(i++, c.createArrayOf("text", startedAt));
        s.setArray(i++, c.createArrayOf("text", finishedAt));
        s.setArray(i++, c.createArrayOf("text", expiresAt));
        return i;
    }
}
