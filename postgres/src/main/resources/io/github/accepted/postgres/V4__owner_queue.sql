-- Accepted schema, version 4: the per-owner bound on queued jobs counts an owner's queued jobs on each submit.

CREATE INDEX accepted_jobs_owner_queued ON accepted_jobs (owner) WHERE status = 'queued';
