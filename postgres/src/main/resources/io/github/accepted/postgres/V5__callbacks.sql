-- Accepted schema: completion callbacks (webhooks). The outbox of PostgresCallbackOutbox.
-- A job's callbacks are written before the job (state 'waiting'); when the job ends, the trigger
-- below makes them 'pending' (or 'skipped') in the very transaction that records the outcome,
-- so a callback survives the death of the instance that ran the job.

CREATE TABLE accepted_callbacks (
    job_id      text COLLATE "C" NOT NULL,
    idx         integer     NOT NULL,                  -- its place among the job's callbacks
    url         text        NOT NULL,
    events      text[]      NOT NULL,                  -- succeeded, failed, canceled
    jobs_url    text        NOT NULL,                  -- for the links in the body
    shown       boolean     NOT NULL,                  -- listed on the job's monitor
    state       text        NOT NULL CHECK (state IN ('waiting', 'pending', 'delivered', 'failed', 'skipped')),
    attempts    integer     NOT NULL,
    created_at  timestamptz NOT NULL,
    ended_at    timestamptz,                           -- when the job ended
    due_at      timestamptz,                           -- next attempt; while one runs, its lease end
    last_error  text,
    PRIMARY KEY (job_id, idx)
);

-- delivery: the pending callbacks that are due
CREATE INDEX accepted_callbacks_due ON accepted_callbacks (due_at) WHERE state = 'pending';

CREATE FUNCTION accepted_callbacks_job_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accepted_callbacks
       SET state    = CASE WHEN NEW.status = ANY (events) THEN 'pending' ELSE 'skipped' END,
           ended_at = NEW.updated_at,
           due_at   = CASE WHEN NEW.status = ANY (events) THEN NEW.updated_at END
     WHERE job_id = NEW.id AND state = 'waiting';
    RETURN NULL;
END $$;

-- fires once per job, on its move to a terminal state
CREATE TRIGGER accepted_callbacks_job_ended
    AFTER UPDATE OF status ON accepted_jobs
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('succeeded', 'failed', 'canceled'))
    EXECUTE FUNCTION accepted_callbacks_job_ended();
