package io.github.accepted.postgres;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.JobStatus;
import io.github.accepted.Payload;
import io.github.accepted.Problem;
import io.github.accepted.Progress;
import io.github.accepted.internal.PayloadBytes;
import io.github.accepted.spi.Fetch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads jobs from rows and writes them into statements. */
final class JobRows {

    /** Every column a {@link Job} is read from, in a SELECT list. */
    static final String COLUMNS = columns(Fetch.ALL);

    private JobRows() {}

    /**
     * The SELECT list of a job read with {@code fetch}: a payload left out is selected as NULL,
     * with a flag saying whether it was loaded. {@code octet_length} of a stored value reads
     * its length only, not the value (TOAST keeps the length in the pointer).
     */
    static String columns(Fetch fetch) {
        String input = fetch.input() ? "input, true AS input_loaded" : "NULL::bytea AS input, false AS input_loaded";
        String result = fetch.maxResultBytes() == Integer.MAX_VALUE
                ? "result, true AS result_loaded"
                : "CASE WHEN octet_length(result) <= " + fetch.maxResultBytes() + " THEN result END AS result, "
                        + "coalesce(octet_length(result) <= " + fetch.maxResultBytes() + ", true) AS result_loaded";
        return "id, type, owner, status, version, attempt, progress_percent, progress_message, "
                + "metadata, input_type, " + input + ", result_type, " + result + ", error_type, error_title, "
                + "error_status, error_detail, cancel_requested, " + micros("created_at") + ", " + micros("updated_at")
                + ", " + micros("started_at") + ", " + micros("finished_at") + ", " + micros("expires_at")
                + ", propagation";
    }

    /** A job from a row selected with {@link #columns(Fetch)} (or {@link #COLUMNS}). */
    static Job read(ResultSet row) throws SQLException {
        Optional<Payload> metadata =
                Optional.ofNullable(row.getBytes("metadata")).map(b -> new Payload(Payload.JSON, b));
        boolean resultLoaded = row.getBoolean("result_loaded");
        Optional<Payload> result = Optional.ofNullable(row.getString("result_type"))
                .map(type -> resultLoaded ? new Payload(type, bytesOrEmpty(row, "result")) : Payload.notLoaded(type));
        String inputType = row.getString("input_type");
        Payload input = row.getBoolean("input_loaded")
                ? new Payload(inputType, row.getBytes("input"))
                : Payload.notLoaded(inputType);
        Optional<Problem> error = Optional.empty();
        String errorType = row.getString("error_type");
        if (errorType != null) {
            error = Optional.of(new Problem(
                    errorType,
                    row.getString("error_title"),
                    row.getInt("error_status"),
                    row.getString("error_detail")));
        }
        return Job.restore()
                .id(new JobId(row.getString("id")))
                .type(row.getString("type"))
                .owner(row.getString("owner"))
                .status(JobStatus.fromWireName(row.getString("status")).orElseThrow())
                .version(row.getLong("version"))
                .attempt(row.getInt("attempt"))
                .progress(new Progress(row.getInt("progress_percent"), row.getString("progress_message")))
                .metadata(metadata.orElse(null))
                .input(input)
                .result(result.orElse(null))
                .error(error.orElse(null))
                .cancelRequested(row.getBoolean("cancel_requested"))
                .createdAt(instant(row, "created_at").orElseThrow())
                .updatedAt(instant(row, "updated_at").orElseThrow())
                .startedAt(instant(row, "started_at").orElse(null))
                .finishedAt(instant(row, "finished_at").orElse(null))
                .expiresAt(instant(row, "expires_at").orElse(null))
                .propagation(Propagation.read(row.getString("propagation")))
                .build();
    }

    private static byte[] bytesOrEmpty(ResultSet row, String column) {
        try {
            byte[] bytes = row.getBytes(column);
            return bytes == null ? new byte[0] : bytes;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A timestamp column selected as microseconds since the epoch, as {@code <column>_us} (its
     * own name still sorts by the column). Read as {@code OffsetDateTime}, the driver built zone
     * rules per value: reading rows was 15 % of the JVM's CPU samples while a backlog drained,
     * 5 % with this (a JFR profile of the backlog benchmark).
     */
    private static String micros(String column) {
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint AS " + column + "_us";
    }

    static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
        long micros = row.getLong(column + "_us");
        if (row.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(
                Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L));
    }

    /**
     * Binds {@code value} (null: SQL NULL) as text that PostgreSQL reads as a {@code timestamptz}
     * from the parameter's place: the driver's own binding built a calendar per statement.
     */
    static void setTimestamp(PreparedStatement statement, int index, @Nullable Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
            return;
        }
        String text = PgTimestamps.format(value);
        if (text != null) {
            statement.setObject(index, text, Types.OTHER);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static void setTimestamp(PreparedStatement statement, int index, Optional<Instant> value) throws SQLException {
        setTimestamp(statement, index, value.orElse(null));
    }

    /**
     * Sets the mutable columns of {@code job}, in the order of {@link #MUTABLE_ASSIGNMENTS},
     * starting at {@code first}; returns the next free index.
     */
    static int setMutable(PreparedStatement statement, int first, Job job) throws SQLException {
        int i = first;
        statement.setString(i++, job.status().wireName());
        statement.setLong(i++, job.version());
        statement.setInt(i++, job.attempt());
        statement.setInt(i++, job.progress().percent());
        statement.setString(i++, job.progress().message());
        statement.setBytes(i++, job.metadata().map(PayloadBytes::readOnly).orElse(null));
        statement.setString(i++, job.result().map(Payload::mediaType).orElse(null));
        statement.setBytes(i++, job.result().map(PayloadBytes::readOnly).orElse(null));
        statement.setString(i++, job.error().map(Problem::type).orElse(null));
        statement.setString(i++, job.error().map(Problem::title).orElse(null));
        if (job.error().isPresent()) {
            statement.setInt(i++, job.error().get().status());
        } else {
            statement.setNull(i++, Types.INTEGER);
        }
        statement.setString(i++, job.error().map(Problem::detail).orElse(null));
        statement.setBoolean(i++, job.cancelRequested());
        setTimestamp(statement, i++, job.updatedAt());
        setTimestamp(statement, i++, job.startedAt());
        setTimestamp(statement, i++, job.finishedAt());
        setTimestamp(statement, i++, job.expiresAt());
        return i;
    }

    /** The assignments {@link #setMutable} fills, for an UPDATE. */
    static final String MUTABLE_ASSIGNMENTS = "status = ?, version = ?, attempt = ?, progress_percent = ?, "
            + "progress_message = ?, metadata = ?, result_type = ?, result = ?, error_type = ?, error_title = ?, "
            + "error_status = ?, error_detail = ?, cancel_requested = ?, updated_at = ?, started_at = ?, "
            + "finished_at = ?, expires_at = ?";
}
