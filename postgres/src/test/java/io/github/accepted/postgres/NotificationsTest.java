package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two stores on one database: what each one hears, and from whom. */
class NotificationsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");

    private final DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 6);
    private final PostgresJobStore a = PostgresJobStore.builder(pool).build();
    private final PostgresJobStore b = PostgresJobStore.builder(pool).build();

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void everyStoreHearsEveryChange_butOnlyOtherInstancesChangesCountAsElsewhere() {
        List<JobId> aHeard = new CopyOnWriteArrayList<>();
        List<JobId> aElsewhere = new CopyOnWriteArrayList<>();
        List<JobId> bHeard = new CopyOnWriteArrayList<>();
        List<JobId> bElsewhere = new CopyOnWriteArrayList<>();
        a.onChange(aHeard::add);
        a.onChangeElsewhere(aElsewhere::add);
        b.onChange(bHeard::add);
        b.onChangeElsewhere(bElsewhere::add);

        Job fromA = job();
        a.create(fromA);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> aHeard.contains(fromA.id()) && bElsewhere.contains(fromA.id()));
        assertThat(bHeard).contains(fromA.id());

        // notifications arrive in commit order: once A hears B's later change, it has seen its own
        Job fromB = job();
        b.create(fromB);
        await().atMost(Duration.ofSeconds(10)).until(() -> aElsewhere.contains(fromB.id()));
        assertThat(aHeard).contains(fromB.id());
        assertThat(aElsewhere).doesNotContain(fromA.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> bHeard.contains(fromB.id()));
        assertThat(bElsewhere).doesNotContain(fromB.id());
    }

    @Test
    void aBurstOfChangesArrivesWhole_acrossSeveralNotificationsPerBatch() throws Exception {
        Set<JobId> heard = ConcurrentHashMap.newKeySet();
        b.onChangeElsewhere(heard::add);
        int jobs = Notifications.IDS_PER_NOTIFICATION * 3 + 7;
        List<JobId> created = new ArrayList<>();
        List<Thread> writers = new ArrayList<>();
        List<Job> all = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            all.add(job());
        }
        for (int w = 0; w < 4; w++) {
            int first = w;
            Thread writer = new Thread(() -> {
                for (int i = first; i < all.size(); i += 4) {
                    a.create(all.get(i));
                }
            });
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        all.forEach(job -> created.add(job.id()));
        await().atMost(Duration.ofSeconds(20)).until(() -> heard.containsAll(created));
    }

    @Test
    void changesAnnouncedJustBeforeClose_areStillSent() {
        List<JobId> heard = new CopyOnWriteArrayList<>();
        b.onChangeElsewhere(heard::add);
        List<JobId> created = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Job job = job();
            a.create(job);
            created.add(job.id());
        }
        a.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.containsAll(created));
    }

    private static Job job() {
        return Job.queued(JobId.random(), "echo", "alice", Payload.json("{}"), NOW);
    }
}
