package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.spi.StoreFailureException;
import io.github.accepted.spi.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 19, item 11: which SQLStates are a moment's unavailability and which a defect. */
class SqlFailuresTest {

    @ParameterizedTest
    @ValueSource(
            strings = {"08000", "08001", "08003", "08006", "40001", "40P01", "53300", "57P01", "57P02", "57P03", "57014"
            })
    void transientStates_areUnavailability(String state) {
        assertThat(SqlFailures.translate("x", new SQLException("boom", state)))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23514", "23502", "42601", "42703", "42P01", "22001", "XX000", "25P02"})
    void otherStates_areFailures(String state) {
        assertThat(SqlFailures.translate("x", new SQLException("boom", state)))
                .isInstanceOf(StoreFailureException.class)
                .isNotInstanceOf(StoreUnavailableException.class);
    }

    @org.junit.jupiter.api.Test
    void noState_asAPoolTimingOutSaysIt_isUnavailability() {
        assertThat(SqlFailures.translate(
                        "x",
                        new SQLTransientConnectionException(
                                "pool - Connection is not " + "available, request timed out after 30000ms.")))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(SqlFailures.translate("x", new SQLException("HikariDataSource has been closed.")))
                .isInstanceOf(StoreUnavailableException.class);
    }
}
