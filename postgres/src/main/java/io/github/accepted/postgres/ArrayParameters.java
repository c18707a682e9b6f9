package io.github.accepted.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Binds the arrays of a batched {@code unnest(…)}. A column that is NULL in every row (no error in
 * a batch of successes, no idempotency key, no result yet) is bound as one SQL NULL instead of an
 * array of NULLs: a multi-argument {@code unnest} pads it with NULLs, and the driver does not
 * encode an array for it (building arrays was a fifth of the JVM's samples in a profile of the
 * 64-submitter benchmark).
 */
final class ArrayParameters {

    private ArrayParameters() {}

    /** Binds {@code values} as an array of {@code type} at {@code index}, or SQL NULL if every element is null. */
    static void bind(Connection c, PreparedStatement s, int index, String type, Object[] values) throws SQLException {
        for (Object value : values) {
            if (value != null) {
                s.setArray(index, c.createArrayOf(type, values));
                return;
            }
        }
        s.setNull(index, Types.ARRAY);
    }
}
