-- Alerts from rules evaluated on a schedule (build failure rate, queues, disk, engines,
-- webhooks). A rule's alert is about one subject (a queue, an engine, a host's DATA_DIR): it
-- opens while the rule fires and resolves when it clears. One open row per (rule, subject),
-- kept by a partial unique index, so evaluators on several workers never open it twice.
-- Rows without a subject are one-off notices (a webhook given up), as before.
ALTER TABLE admin_alerts
  ADD COLUMN subject text CHECK (length(subject) BETWEEN 1 AND 300),
  ADD COLUMN state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
  ADD COLUMN value double precision,
  ADD COLUMN threshold double precision,
  ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN resolved_at timestamptz,
  ADD CONSTRAINT admin_alerts_resolved_check CHECK ((state = 'resolved') = (resolved_at IS NOT NULL));
CREATE UNIQUE INDEX admin_alerts_firing_idx ON admin_alerts (kind, subject)
  WHERE state = 'open' AND subject IS NOT NULL;
CREATE INDEX admin_alerts_state_idx ON admin_alerts (state, created_at DESC);

-- Alert notifications ride the webhook outbox to ALERT_WEBHOOK_URL: a third kind of endpoint.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_endpoint_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_endpoint_check
  CHECK (endpoint IN ('global', 'project', 'alert'));

-- What the rules read over a recent window.
CREATE INDEX builds_finished_at_idx ON builds (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX webhook_attempts_created_idx ON webhook_attempts (created_at);
