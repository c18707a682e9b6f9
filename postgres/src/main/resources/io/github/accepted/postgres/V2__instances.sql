-- Accepted schema, version 2: liveness. Applied by PostgresJobStore (or by your DBA, with createSchema(false)).

-- Instances that take part in liveness (docs/postgres.md, "Liveness"). Each holds the session-level
-- advisory lock (classid 1097032560, objid lock_key) while it runs; an instance listed here whose
-- lock is gone, and which took it on the running server, is dead: its running jobs are taken back.
CREATE TABLE accepted_instances (
    instance_id        text COLLATE "C" PRIMARY KEY,      -- lease_owner of the jobs it runs
    lock_key           integer     NOT NULL UNIQUE,       -- from the sequence: never shared
    server_started_at  timestamptz,                       -- pg_postmaster_start_time() when it locked
    registered_at      timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE accepted_instance_keys AS integer MINVALUE 1 CYCLE;
