-- A build's own preview deployment (reason 'build') is written once, however often its record
-- stage runs: a job retried after the worker died between committing the record stage and
-- marking it done must not insert a second row. The record stage's transaction (version
-- ready, deployment, project pointers, version.ready outbox event) commits at most once per
-- build, and this index is the database's guarantee of it.

-- Rows such retries duplicated before this migration: keep the active one, else the newest.
-- Nothing references deployments by id, so the extra rows can go.
DELETE FROM deployments d
WHERE d.reason = 'build' AND d.build_id IS NOT NULL AND d.status <> 'active'
  AND EXISTS (
    SELECT 1 FROM deployments n
    WHERE n.build_id = d.build_id AND n.reason = 'build' AND n.id <> d.id
      AND (n.status = 'active' OR (n.created_at, n.id) > (d.created_at, d.id)));

CREATE UNIQUE INDEX deployments_build_once_idx ON deployments (build_id) WHERE reason = 'build';
