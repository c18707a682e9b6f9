package io.github.accepted.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Job;
import io.github.accepted.JobId;
import io.github.accepted.Payload;
import io.github.accepted.spi.IdempotencyKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every hot query of the store uses an index (no sequential scan) over a large table: 200,000
 * rows in each build. For docs/postgres.md, the same over two million rows, with the plans
 * written to {@code postgres/target/query-plans.txt}:
 * {@code mvn -pl postgres -am test -Dtest=QueryPlansTest -Daccepted.plans.rows=2000000 -Dsurefire.failIfNoSpecifiedTests=false}
 */
class QueryPlansTest {

    private static final int ROWS = Integer.getInteger("accepted.plans.rows", 200_000);

    @AfterAll
    static void closePools() {
        TestDatabases.closePools();
    }

    @Test
    void everyHotQuery_usesAnIndex() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 4);
        PostgresJobStore store = PostgresJobStore.builder(pool)
                .maxQueued(Integer.MAX_VALUE)
                .listen(false)
                .build();
        Job sample = Job.queued(JobId.random(), "report", "owner-42", Payload.json("{}"), Instant.now());
        store.createIdempotent(sample, new IdempotencyKey("owner-42\nPOST /api/reports", "k-1", "f"));
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            // 2,000,000 finished jobs of 10,000 owners, 20,000 queued, 200 running
            s.execute("INSERT INTO accepted_jobs (id, type, owner, status, version, attempt, progress_percent, "
                    + "progress_message, input_type, input, cancel_requested, created_at, updated_at, finished_at, "
                    + "expires_at, run_after, result_type, result) "
                    + "SELECT md5(g::text), 'report', 'owner-' || (g % " + Math.max(1, ROWS / 200) + "), "
                    + "CASE WHEN g % 100 = 0 THEN 'queued' WHEN g % 10000 = 1 THEN 'running' ELSE 'succeeded' END, "
                    + "3, 1, 100, '', 'application/json', '{}'::bytea, false, now() - (g || ' ms')::interval, now(), "
                    + "now(), now() + interval '1 day' - (g || ' ms')::interval, now() - (g || ' ms')::interval, "
                    + "'application/json', '1'::bytea FROM generate_series(1, " + ROWS + ") g");
            s.execute("UPDATE accepted_jobs SET lease_owner = 'x', lease_expires_at = now() + interval '10 s', "
                    + "finished_at = null, expires_at = null WHERE status = 'running'");
            s.execute("UPDATE accepted_jobs SET finished_at = null, expires_at = null WHERE status = 'queued'");
            s.execute("VACUUM ANALYZE accepted_jobs");
        }
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put(
                "claim a batch (SKIP LOCKED)",
                "SELECT id FROM accepted_jobs WHERE status = 'queued' "
                        + "AND run_after <= now() AND type = ANY ('{report,export}') ORDER BY created_at, id LIMIT 10 FOR UPDATE SKIP LOCKED");
        queries.put("find by id (every poll)", "SELECT * FROM accepted_jobs WHERE id = md5('12345')");
        queries.put(
                "list an owner's jobs, newest first",
                "SELECT * FROM accepted_jobs WHERE owner = 'owner-42' " + "ORDER BY created_at DESC, id DESC LIMIT 21");
        queries.put(
                "next page (cursor)",
                "SELECT * FROM accepted_jobs WHERE owner = 'owner-42' AND (created_at, id) "
                        + "< (now() - interval '1 hour', 'zzz') ORDER BY created_at DESC, id DESC LIMIT 21");
        queries.put(
                "expired leases and gone owners (recovery, every 250 ms)",
                "SELECT * FROM accepted_jobs "
                        + "WHERE status = 'running' AND (lease_expires_at < now() OR lease_owner IN ("
                        + Liveness.GONE.replace("?", "'me'") + ")) ORDER BY lease_expires_at LIMIT 100");
        queries.put("purge a batch", "SELECT id FROM accepted_jobs WHERE expires_at <= now() LIMIT 1000");
        queries.put(
                "idempotency key",
                "SELECT * FROM accepted_jobs WHERE idem_scope = 'owner-42\nPOST /api/reports' "
                        + "AND idem_key = 'k-1'");
        queries.put("count queued (maxQueued)", "SELECT count(*) FROM accepted_jobs WHERE status = 'queued'");
        queries.put(
                "count an owner's queued jobs (maxQueuedPerOwner)",
                "SELECT count(*) FROM (SELECT 1 FROM accepted_jobs "
                        + "WHERE owner = 'owner-42' AND status = 'queued' LIMIT 1000) q");
        List<String> out = new ArrayList<>();
        out.add(String.format(
                "Plans over %,d rows (%,d queued, %,d running), PostgreSQL embedded in the tests.",
                ROWS, ROWS / 100, ROWS / 10_000));
        List<String> sequential = new ArrayList<>();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            for (Map.Entry<String, String> query : queries.entrySet()) {
                out.add("");
                out.add("-- " + query.getKey());
                out.add(query.getValue());
                try (ResultSet plan = s.executeQuery("EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) " + query.getValue())) {
                    while (plan.next()) {
                        out.add(plan.getString(1));
                        if (plan.getString(1).contains("Seq Scan on accepted_jobs")) { // accepted_instances is tiny
                            sequential.add(query.getKey());
                        }
                    }
                }
            }
        }
        // the batched outcome write, planned for each flush (no server-side prepared statement)
        String outcomes = OutcomeBatcher.UPDATE_MANY;
        String cast = "?::";
        StringBuilder explained = new StringBuilder();
        for (int at = 0; at < outcomes.length(); at++) {
            if (outcomes.startsWith(cast, at)) {
                int end = outcomes.indexOf("[]", at);
                explained.append("ARRAY[md5('12345')]::").append(outcomes, at + cast.length(), end);
                at += cast.length() + (end - at - cast.length()) - 1;
            } else {
                explained.append(outcomes.charAt(at));
            }
        }
        String update = explained
                .toString()
                .replaceAll("ARRAY\\[md5\\('12345'\\)\\]::(int8|int4|bool|bytea|timestamptz)", "ARRAY[NULL]::$1");
        out.add("");
        out.add("-- write a batch of outcomes (UPDATE … FROM unnest)");
        out.add(update);
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet plan = s.executeQuery("EXPLAIN (COSTS OFF) " + update)) {
            while (plan.next()) {
                out.add(plan.getString(1));
                if (plan.getString(1).contains("Seq Scan on accepted_jobs")) {
                    sequential.add("write a batch of outcomes");
                }
            }
        }
        Files.write(Path.of("target/query-plans.txt"), out);
        store.close();
        assertThat(sequential)
                .as("hot queries planned as sequential scans; see target/query-plans.txt")
                .isEmpty();
    }

    /**
     * Issue 14: a table whose statistics say that few jobs are queued (here never analyzed, 5,000
     * queued) had its claims planned as a bitmap scan of every queued row and a sort, 3 to 20 ms
     * each while holding row locks that outcomes then waited for. With {@link
     * PostgresJobStore#CLAIM_PLAN} in its transaction the claim walks the queue index in order.
     */
    @Test
    void claim_walksTheQueueIndexInOrder_evenWhenTheStatisticsSayNothingIsQueued() throws Exception {
        DataSource pool = TestDatabases.pool(TestDatabases.newDatabase(), 2);
        PostgresJobStore store = PostgresJobStore.builder(pool)
                .maxQueued(Integer.MAX_VALUE)
                .listen(false)
                .build();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO accepted_jobs (id, type, owner, status, version, attempt, progress_percent, "
                    + "progress_message, input_type, input, cancel_requested, created_at, updated_at, run_after) "
                    + "SELECT md5(g::text), 'report', '', 'queued', 1, 0, 0, '', 'application/json', '{}'::bytea, "
                    + "false, now() - (g || ' ms')::interval, now(), now() - interval '1 day' "
                    + "FROM generate_series(1, 5000) g");
        }
        assertThat(claimPlan(pool, false))
                .as("the situation: planned from the statistics, the claim sorts every queued row")
                .anyMatch(line -> line.contains("Sort"));
        List<String> plan = claimPlan(pool, true);
        assertThat(plan).noneMatch(line -> line.contains("Sort"));
        assertThat(plan).anyMatch(line -> line.contains("Index Scan using accepted_jobs_queue"));
        store.close();
    }

    private static List<String> claimPlan(DataSource pool, boolean withPlanSetting) throws Exception {
        List<String> plan = new ArrayList<>();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (withPlanSetting) {
                    s.execute(PostgresJobStore.CLAIM_PLAN);
                }
            }
            try (java.sql.PreparedStatement s = c.prepareStatement("EXPLAIN (COSTS OFF) " + PostgresJobStore.CLAIM)) {
                Instant now = Instant.now();
                s.setObject(1, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                s.setArray(2, c.createArrayOf("text", new String[] {"report"}));
                s.setInt(3, 8);
                s.setObject(4, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                s.setObject(5, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                s.setString(6, "me");
                s.setObject(7, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        plan.add(rows.getString(1));
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return plan;
    }
}
