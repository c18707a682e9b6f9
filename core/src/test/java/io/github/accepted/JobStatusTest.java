package io.github.accepted;

import static io.github.accepted.JobStatus.CANCELED;
import static io.github.accepted.JobStatus.FAILED;
import static io.github.accepted.JobStatus.QUEUED;
import static io.github.accepted.JobStatus.RUNNING;
import static io.github.accepted.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobStatusTest {

    /** The table of DESIGN.md, written out again independently of the code. */
    private static final Set<List<JobStatus>> ALLOWED = Set.of(
            List.of(QUEUED, RUNNING),
            List.of(QUEUED, CANCELED),
            List.of(RUNNING, RUNNING),
            List.of(RUNNING, SUCCEEDED),
            List.of(RUNNING, FAILED),
            List.of(RUNNING, CANCELED),
            List.of(RUNNING, QUEUED));

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                pairs.add(Arguments.of(from, to, ALLOWED.contains(List.of(from, to))));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @MethodSource("everyPair")
    void transitionTable_allowsExactlyTheDesignedMoves(JobStatus from, JobStatus to, boolean allowed) {
        assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
    }

    @Test
    void terminalStates_areExactlySucceededFailedCanceled() {
        assertThat(Stream.of(JobStatus.values()).filter(JobStatus::isTerminal))
                .containsExactlyInAnyOrder(SUCCEEDED, FAILED, CANCELED);
    }

    @Test
    void wireNames_areLowerCase_andParseBackCaseInsensitively() {
        for (JobStatus status : JobStatus.values()) {
            assertThat(status.wireName()).isEqualTo(status.name().toLowerCase(Locale.ROOT));
            assertThat(JobStatus.fromWireName(status.name())).contains(status);
        }
        assertThat(JobStatus.fromWireName("done")).isEmpty();
    }
}
