-- The web console's sign-in. Only SHA-256 hashes of tokens and session ids are stored: a copy
-- of the database signs nobody in. Rows live in the database (not in one process's memory) so
-- a session works on every API process behind a load balancer.

-- One-time sign-in links: the one printed at start-up (stored when minted) and admin-signed
-- ones (stored when redeemed, so each works once). A row with used_at set is spent.
CREATE TABLE console_signin_tokens (
  token_hash text PRIMARY KEY CHECK (length(token_hash) = 64),
  source text NOT NULL CHECK (source IN ('startup', 'admin-link')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_signin_tokens_expiry_idx ON console_signin_tokens (expires_at);

CREATE TABLE console_sessions (
  id_hash text PRIMARY KEY CHECK (length(id_hash) = 64),
  source text NOT NULL CHECK (source IN ('startup', 'admin-link')),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX console_sessions_expiry_idx ON console_sessions (expires_at);

-- The console lists every project, most recently changed first.
CREATE INDEX projects_updated_idx ON projects (updated_at DESC, id DESC);
