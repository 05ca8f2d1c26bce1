-- Recommendations: next steps for a version, grounded in what the worker measured about it
-- (its HTML, bundle size, build warnings, sources, a browser run) or, marked as such, ideas
-- an engine added. No release wrote to this table before, so it is reshaped in place.
--
-- One row per (version, kind, key): the recommend stage and the on-demand routes upsert, so a
-- retried stage or a repeated request never adds a second copy. `key` tells items of one kind
-- apart (one per unmet ask of the prompt); it is '' for kinds that have one item per version.

ALTER TABLE recommendations RENAME COLUMN description TO detail;
ALTER TABLE recommendations RENAME COLUMN signal TO evidence;
ALTER TABLE recommendations RENAME COLUMN priority TO severity;
ALTER TABLE recommendations DROP CONSTRAINT recommendations_priority_check;
ALTER TABLE recommendations ADD CONSTRAINT recommendations_severity_check
  CHECK (severity IN ('info', 'low', 'medium', 'high'));

ALTER TABLE recommendations
  ADD COLUMN kind text NOT NULL CHECK (kind ~ '^[a-z]+(\.[a-z0-9-]+)+$' AND length(kind) <= 80),
  ADD COLUMN key text NOT NULL DEFAULT '' CHECK (length(key) <= 200),
  ADD COLUMN action text NOT NULL,
  ADD COLUMN origin text NOT NULL CHECK (origin IN ('measured', 'idea')),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- A recommendation is about one version of its own project.
ALTER TABLE recommendations ALTER COLUMN version_id SET NOT NULL;
ALTER TABLE recommendations DROP CONSTRAINT recommendations_version_id_fkey;
ALTER TABLE recommendations
  ADD CONSTRAINT recommendations_version_fk
    FOREIGN KEY (project_id, version_id) REFERENCES project_versions (project_id, id)
    ON DELETE CASCADE;

DROP INDEX recommendations_version_idx;
CREATE UNIQUE INDEX recommendations_version_kind_key ON recommendations (version_id, kind, key);
