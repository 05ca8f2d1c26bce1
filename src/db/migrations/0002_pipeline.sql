-- Pipeline support: job flows for the embedded queue, source snapshots per version, and the
-- usage columns a build reports.

ALTER TABLE jobs ADD COLUMN parent_id text REFERENCES jobs (id) ON DELETE CASCADE;
ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
  CHECK (status IN ('waiting', 'waiting-children', 'active', 'completed', 'failed'));
CREATE INDEX jobs_parent_idx ON jobs (parent_id) WHERE parent_id IS NOT NULL;

-- The generated sources of a version (a tarball in the artifact store), so a later stage on
-- another machine, an update or a rebuild can start from them.
ALTER TABLE project_versions ADD COLUMN source_artifact_id text REFERENCES artifacts (id);

ALTER TABLE builds ADD COLUMN worker_id text;
ALTER TABLE builds ADD COLUMN cancel_requested_at timestamptz;
