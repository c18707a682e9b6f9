package io.github.accepted.postgres;

import io.github.accepted.spi.StoreFailureException;
import io.github.accepted.spi.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a moment's unavailability from a defect, by the SQLState of an {@link SQLException}.
 *
 * <p>Transient ({@link StoreUnavailableException}, retried, {@code 503}):
 * <ul>
 *   <li>{@code 08…} connection exceptions (lost, refused, closed: PgJDBC's "this connection has
 *       been closed" is {@code 08003});</li>
 *   <li>{@code 40001} serialization failure, {@code 40P01} deadlock;</li>
 *   <li>{@code 53…} insufficient resources (too many connections, out of memory, disk full);</li>
 *   <li>{@code 57P0…} the server shutting down, crashed or not accepting connections yet, and
 *       {@code 57014} a statement cancelled (a {@code statement_timeout});</li>
 *   <li>no SQLState at all: what a pool throws when it times out waiting for a connection or
 *       is closed (HikariCP's messages carry none), and the JDBC transient, recoverable and
 *       connection exception classes.</li>
 * </ul>
 * Everything else ({@code 23…} constraint violations, {@code 42…} syntax errors and undefined
 * columns, {@code 22…} data exceptions, …) is a defect: {@link StoreFailureException}, not
 * retried, {@code 500}.
 */
final class SqlFailures {

    private SqlFailures() {}

    /** The exception to throw for {@code e}, met while doing {@code what}. */
    static RuntimeException translate(String what, SQLException e) {
        return isTransient(e) ? new StoreUnavailableException(what, e) : new StoreFailureException(what, e);
    }

    static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException
                || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null || state.isEmpty()) {
            return true;
        }
        return state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57P0")
                || state.equals("57014")
                || state.equals("40001")
                || state.equals("40P01");
    }
}
