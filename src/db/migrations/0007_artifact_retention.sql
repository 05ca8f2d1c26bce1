-- Artifact retention. Artifacts expire `ARTIFACT_RETENTION_DAYS` after they are stored
-- (artifacts.expires_at, set when recorded); a cleanup job removes expired ones that no live
-- version or deployment uses. r2_cleanup_logs becomes one row per cleanup run (the per-artifact
-- shape of 0001 was never written), whatever the store: the counts an operator asks for.

DROP TABLE r2_cleanup_logs;
CREATE TABLE r2_cleanup_logs (
  id text PRIMARY KEY CHECK (length(id) = 26),
  -- A dry run deletes nothing and says what it would have done.
  dry_run boolean NOT NULL,
  scanned integer NOT NULL CHECK (scanned >= 0),
  deleted integer NOT NULL CHECK (deleted >= 0),
  kept integer NOT NULL CHECK (kept >= 0),
  bytes_freed bigint NOT NULL CHECK (bytes_freed >= 0),
  -- [{artifactId, message}] for artifacts the store failed to delete (retried next run).
  errors jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  CHECK (deleted + kept <= scanned)
);
CREATE INDEX r2_cleanup_logs_started_idx ON r2_cleanup_logs (started_at DESC);

-- What keeps an expired artifact: looked up per candidate.
CREATE INDEX project_versions_source_artifact_idx ON project_versions (source_artifact_id);
CREATE INDEX deployments_live_artifact_idx ON deployments (artifact_id)
  WHERE status IN ('pending', 'active');
