-- Versions, what is live, publishing and custom domains.
--
-- What is live has one source: deployments, at most one active per project and environment.
-- Publishing and rollback move a project's pointers and its active deployments in one
-- transaction; neither builds anything, so neither creates a version or a build.

-- A version belongs to one project, and so do the pointers at it ----------------------------

ALTER TABLE project_versions ADD CONSTRAINT project_versions_project_id_key UNIQUE (project_id, id);

-- A project's current and published versions, and a version's parent, are its own versions.
-- MATCH SIMPLE: a NULL pointer is allowed (no version yet, not published, first version).
ALTER TABLE projects DROP CONSTRAINT projects_current_version_fk;
ALTER TABLE projects DROP CONSTRAINT projects_published_version_fk;
ALTER TABLE projects
  ADD CONSTRAINT projects_current_version_fk
    FOREIGN KEY (id, current_version_id) REFERENCES project_versions (project_id, id),
  ADD CONSTRAINT projects_published_version_fk
    FOREIGN KEY (id, published_version_id) REFERENCES project_versions (project_id, id);

ALTER TABLE project_versions DROP CONSTRAINT project_versions_parent_version_id_fkey;
ALTER TABLE project_versions
  ADD CONSTRAINT project_versions_parent_fk
    FOREIGN KEY (project_id, parent_version_id) REFERENCES project_versions (project_id, id);

-- Rollback is a pointer move, not a build: no version or build is ever of kind 'rollback'.
ALTER TABLE project_versions DROP CONSTRAINT project_versions_kind_check;
ALTER TABLE project_versions ADD CONSTRAINT project_versions_kind_check
  CHECK (kind IN ('create', 'update'));
ALTER TABLE builds DROP CONSTRAINT builds_kind_check;
ALTER TABLE builds ADD CONSTRAINT builds_kind_check CHECK (kind IN ('create', 'update'));

-- A version that is ready has the artifact it serves: rollback and publish re-point to it.
ALTER TABLE project_versions ADD CONSTRAINT project_versions_ready_has_artifact
  CHECK (status <> 'ready' OR artifact_id IS NOT NULL);

-- Which files the version's generation added, changed and removed against its parent.
ALTER TABLE project_versions ADD COLUMN files_changed jsonb;

CREATE INDEX project_versions_project_idx ON project_versions (project_id, version_number DESC);
CREATE INDEX builds_version_idx ON builds (version_id);

-- Production host name: http://<slug>.<PREVIEW_HOST_SUFFIX>/, given at first publish, then
-- stable. One DNS label, and never the shape of a preview host (build-<id>).
ALTER TABLE projects ADD COLUMN slug text;
ALTER TABLE projects ADD CONSTRAINT projects_slug_check
  CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' AND slug !~ '^build-');
CREATE UNIQUE INDEX projects_slug_idx ON projects (slug) WHERE slug IS NOT NULL;

-- Deployments: the one record of what is live ---------------------------------------------

-- An activation points at a version of the same project.
ALTER TABLE deployments DROP CONSTRAINT deployments_version_id_fkey;
ALTER TABLE deployments
  ADD CONSTRAINT deployments_version_fk
    FOREIGN KEY (project_id, version_id) REFERENCES project_versions (project_id, id);

-- Why a deployment became live: a build's own preview, a publish, or a rollback.
ALTER TABLE deployments ADD COLUMN reason text NOT NULL DEFAULT 'build'
  CHECK (reason IN ('build', 'publish', 'rollback'));
ALTER TABLE deployments ADD COLUMN superseded_at timestamptz;

-- Earlier rows may hold several active previews per project: keep the newest.
UPDATE deployments d SET status = 'superseded', superseded_at = now()
WHERE status = 'active' AND EXISTS (
  SELECT 1 FROM deployments n
  WHERE n.project_id = d.project_id AND n.environment = d.environment AND n.status = 'active'
    AND (n.created_at, n.id) > (d.created_at, d.id));

CREATE UNIQUE INDEX deployments_one_active_idx ON deployments (project_id, environment)
  WHERE status = 'active';
CREATE INDEX deployments_build_idx ON deployments (build_id);

-- Custom domains ----------------------------------------------------------------------------

-- 'active' was never written; statuses are what verification found.
ALTER TABLE domains DROP CONSTRAINT domains_status_check;
ALTER TABLE domains ADD CONSTRAINT domains_status_check
  CHECK (status IN ('pending', 'verified', 'failed'));
ALTER TABLE domains ADD COLUMN cname_target text NOT NULL DEFAULT '';
ALTER TABLE domains ADD COLUMN last_error text;
ALTER TABLE domains ADD COLUMN last_check_code text;
ALTER TABLE domains ADD CONSTRAINT domains_lowercase_check
  CHECK (domain_name = lower(domain_name));

-- The project event log: an outbox the signed webhooks send from ---------------------------

-- Written in the same transaction as the change it reports.
CREATE TABLE project_events (
  id text PRIMARY KEY CHECK (length(id) = 26),
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  type text NOT NULL CHECK (type IN (
    'version.created', 'version.ready', 'version.failed', 'version.published',
    'project.unpublished', 'version.rolled_back', 'domain.added', 'domain.verified',
    'domain.failed', 'domain.removed')),
  version_id text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_events_project_idx ON project_events (project_id, id);
CREATE INDEX project_events_created_idx ON project_events (created_at, id);
