-- Accepted schema, version 2: the context a job carries from its submit to its runs (a trace's
-- traceparent and tracestate, chosen MDC keys), as JSON of string keys and values; NULL for none.

ALTER TABLE accepted_jobs ADD COLUMN propagation jsonb;
