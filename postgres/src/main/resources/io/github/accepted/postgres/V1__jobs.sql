-- Accepted schema, version 1. Applied by PostgresJobStore (or by your DBA, with createSchema(false)).

CREATE TABLE accepted_jobs (
    id                text COLLATE "C" PRIMARY KEY,          -- 22 URL-safe characters; "C": same order as Java
    type              text        NOT NULL,
    owner             text COLLATE "C" NOT NULL,             -- '' for anonymous jobs
    status            text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    version           bigint      NOT NULL,                  -- compare-and-set on every change
    attempt           integer     NOT NULL,
    progress_percent  integer     NOT NULL,
    progress_message  text        NOT NULL,
    metadata          bytea,                                 -- JSON the handler published
    input_type        text        NOT NULL,
    input             bytea       NOT NULL,
    result_type       text,
    result            bytea,
    error_type        text,
    error_title       text,
    error_status      integer,
    error_detail      text,
    cancel_requested  boolean     NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    expires_at        timestamptz,
    run_after         timestamptz NOT NULL,                  -- a retried job waits for its backoff
    lease_owner       text,                                  -- the instance running it
    lease_expires_at  timestamptz,                           -- renewed by heartbeats
    idem_scope        text,
    idem_key          text,
    idem_fingerprint  text
);

-- claiming: the oldest queued jobs
CREATE INDEX accepted_jobs_queue ON accepted_jobs (created_at, id) WHERE status = 'queued';
-- recovery: running jobs whose lease ran out
CREATE INDEX accepted_jobs_leases ON accepted_jobs (lease_expires_at) WHERE status = 'running';
-- GET /jobs: an owner's jobs, newest first
CREATE INDEX accepted_jobs_owner ON accepted_jobs (owner, created_at DESC, id DESC);
-- retention purge
CREATE INDEX accepted_jobs_expiry ON accepted_jobs (expires_at) WHERE expires_at IS NOT NULL;
-- Idempotency-Key: one job per key and scope
CREATE UNIQUE INDEX accepted_jobs_idempotency ON accepted_jobs (idem_scope, idem_key) WHERE idem_key IS NOT NULL;
