-- Signed outgoing webhooks, sent from the project event log, and inbound deployment status.
--
-- project_events is the outbox: a row is written in the same transaction as the change it
-- reports, and a dispatcher turns each unsent row into one delivery per endpoint. Deliveries
-- are scheduled here, in the database, so losing Redis (or a crash between two steps) loses
-- no webhook: a delivery whose job vanished is dispatched again once its lease lapses.

-- The build lifecycle joins the log, written with each build status change.
ALTER TABLE project_events DROP CONSTRAINT project_events_type_check;
ALTER TABLE project_events ADD CONSTRAINT project_events_type_check CHECK (type IN (
  'version.created', 'version.ready', 'version.failed', 'version.published',
  'project.unpublished', 'version.rolled_back', 'domain.added', 'domain.verified',
  'domain.failed', 'domain.removed', 'build.started', 'build.succeeded', 'build.failed',
  'build.cancelled', 'deployment.updated'));

-- When the dispatcher turned the event into deliveries (or found nobody to send it to).
ALTER TABLE project_events ADD COLUMN dispatched_at timestamptz;
-- History from before webhooks existed is not sent.
UPDATE project_events SET dispatched_at = created_at;
CREATE INDEX project_events_undispatched_idx ON project_events (id) WHERE dispatched_at IS NULL;

-- A project's own endpoint, set through the API, with a signing secret of its own.
CREATE TABLE project_webhooks (
  project_id text PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  url text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
  secret text NOT NULL CHECK (secret LIKE 'whsec\_%'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One message to one endpoint. `dispatches` counts the jobs handed to the queue: a job runs
-- only while its number is the current one, so a re-dispatched delivery never sends twice.
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY CHECK (length(id) = 26),
  event_id text NOT NULL CHECK (length(event_id) = 26),
  project_id text REFERENCES projects (id) ON DELETE CASCADE,
  event_type text NOT NULL,
  endpoint text NOT NULL CHECK (endpoint IN ('global', 'project')),
  url text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- The attempt a redelivery restarted the retry schedule from.
  schedule_start integer NOT NULL DEFAULT 0 CHECK (schedule_start >= 0),
  dispatches integer NOT NULL DEFAULT 0 CHECK (dispatches >= 0),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, endpoint)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_status_idx ON webhook_deliveries (status, created_at DESC);

-- Every attempt, refused ones included: what was connected to and what came back.
CREATE TABLE webhook_attempts (
  id text PRIMARY KEY CHECK (length(id) = 26),
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL CHECK (attempt >= 1),
  url text NOT NULL,
  address text,
  status_code integer,
  latency_ms integer NOT NULL CHECK (latency_ms >= 0),
  response_excerpt text CHECK (octet_length(response_excerpt) <= 1024),
  error text,
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'refused')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (delivery_id, attempt)
);

-- An exhausted delivery is kept here as well, for the operator.
ALTER TABLE webhook_failures ADD COLUMN delivery_id text
  REFERENCES webhook_deliveries (id) ON DELETE SET NULL;
CREATE INDEX webhook_failures_delivery_idx ON webhook_failures (delivery_id);

-- Inbound webhook ids already applied: a replayed id changes nothing.
CREATE TABLE inbound_webhook_events (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
  type text NOT NULL,
  deployment_id text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbound_webhook_events_received_idx ON inbound_webhook_events (received_at);
