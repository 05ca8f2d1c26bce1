-- AI time as a ledger. Grants are plan periods (usage_tracking) and bonuses (user_bonuses);
-- each keeps what was used, what open reservations hold and what expired, so what is left of a
-- grant is `granted - used - reserved - expired` and can never go below zero (CHECKs). Every
-- movement is a quota_audit_log row. All changes go through the functions below, which take a
-- per-user advisory lock: one user's reservations are serial, different users' run in parallel.
-- Runs unchanged on PostgreSQL and PGlite.

ALTER TABLE usage_tracking
  ADD COLUMN expired_seconds integer NOT NULL DEFAULT 0 CHECK (expired_seconds >= 0),
  -- 'default': made on first use from QUOTA_DEFAULT_PLAN_SECONDS; a plan the main app sets
  -- ('admin') replaces it from its own start.
  ADD COLUMN source text NOT NULL DEFAULT 'admin' CHECK (source IN ('default', 'admin')),
  ADD CONSTRAINT usage_tracking_within_allowance
    CHECK (used_seconds + reserved_seconds + expired_seconds <= allowance_seconds);
CREATE INDEX usage_tracking_user_period_idx ON usage_tracking (user_id, period_end);

ALTER TABLE user_bonuses
  ADD COLUMN reserved_seconds integer NOT NULL DEFAULT 0 CHECK (reserved_seconds >= 0),
  ADD COLUMN expired_seconds integer NOT NULL DEFAULT 0 CHECK (expired_seconds >= 0),
  ADD CONSTRAINT user_bonuses_within_grant
    CHECK (used_seconds + reserved_seconds + expired_seconds <= seconds);

-- One reservation per build and round (round 0: plan and generate; round n: fix attempt n), or
-- per /generate request. The key makes a retried job reuse its reservation.
CREATE TABLE quota_reservations (
  id text PRIMARY KEY CHECK (length(id) = 26),
  user_id text NOT NULL CHECK (length(user_id) BETWEEN 1 AND 128),
  idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  build_id text REFERENCES builds (id) ON DELETE SET NULL,
  round integer NOT NULL DEFAULT 0 CHECK (round >= 0),
  operation text NOT NULL CHECK (operation IN ('create', 'update', 'fix', 'generate')),
  seconds integer NOT NULL CHECK (seconds > 0),
  -- Where the seconds came from, in draw order: [{"kind": "bonus"|"plan", "id": ..., "seconds": n}].
  draws jsonb NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled')),
  used_seconds integer CHECK (used_seconds >= 0),
  refunded_seconds integer CHECK (refunded_seconds >= 0),
  -- AI time beyond the reservation that no grant had left to cover.
  unpaid_seconds integer CHECK (unpaid_seconds >= 0),
  input_tokens integer CHECK (input_tokens >= 0),
  output_tokens integer CHECK (output_tokens >= 0),
  cost_usd numeric(12, 6) CHECK (cost_usd >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  settled_at timestamptz
);
CREATE INDEX quota_reservations_open_idx ON quota_reservations (created_at) WHERE status = 'open';
CREATE INDEX quota_reservations_build_idx ON quota_reservations (build_id);
CREATE INDEX quota_reservations_user_open_idx ON quota_reservations (user_id)
  WHERE status = 'open';

-- Engine calls a settlement has charged (null: not yet charged).
ALTER TABLE claude_user_usage ADD COLUMN reservation_id text REFERENCES quota_reservations (id);
-- Estimates read a project's recent calls.
CREATE INDEX claude_user_usage_project_idx ON claude_user_usage (project_id, created_at DESC);
CREATE INDEX claude_user_usage_unsettled_idx ON claude_user_usage (build_id)
  WHERE reservation_id IS NULL;

ALTER TABLE quota_audit_log DROP CONSTRAINT quota_audit_log_action_check;
ALTER TABLE quota_audit_log
  ADD CONSTRAINT quota_audit_log_action_check
    CHECK (action IN ('grant', 'reserve', 'settle', 'refund', 'expire', 'deny')),
  -- No foreign key: a reservation's audit rows are written before the reservation row (which
  -- then carries its draws), and the log outlives anything it mentions.
  ADD COLUMN reservation_id text,
  ADD COLUMN grant_kind text CHECK (grant_kind IN ('plan', 'bonus')),
  ADD COLUMN grant_id text,
  -- Insertion order (ids made in one call share a millisecond and need not sort).
  ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
-- A user's balance sums many grants: it may pass what one integer column holds.
ALTER TABLE quota_audit_log ALTER COLUMN balance_before TYPE bigint,
  ALTER COLUMN balance_after TYPE bigint;
CREATE INDEX quota_audit_log_reservation_idx ON quota_audit_log (reservation_id);

-- A ULID made in the database, for the audit rows the functions write (Crockford base32:
-- 48 bits of milliseconds, then 80 random bits).
CREATE FUNCTION sheen_ulid() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000);
  rnd bytea := decode(replace(gen_random_uuid()::text, '-', ''), 'hex');
  out text := '';
  acc bigint := 0;
  bits integer := 0;
BEGIN
  FOR i IN REVERSE 9..0 LOOP
    out := out || substr(alphabet, ((ms >> (i * 5)) & 31)::integer + 1, 1);
  END LOOP;
  FOR i IN 0..9 LOOP
    acc := (acc << 8) | get_byte(rnd, i);
    bits := bits + 8;
    WHILE bits >= 5 LOOP
      bits := bits - 5;
      out := out || substr(alphabet, ((acc >> bits) & 31)::integer + 1, 1);
    END LOOP;
    acc := acc & ((1::bigint << bits) - 1);
  END LOOP;
  RETURN out;
END $$;

-- PL/pgSQL rather than SQL functions: their query plans are cached per connection.
CREATE FUNCTION quota_lock(p_user_id text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('sheen-quota:' || p_user_id, 0));
END $$;

-- Seconds a user can still reserve at p_now: what is left of live grants (open reservations
-- are already subtracted through reserved_seconds).
CREATE FUNCTION quota_balance(p_user_id text, p_now timestamptz) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    coalesce((SELECT sum(allowance_seconds - used_seconds - reserved_seconds - expired_seconds)
              FROM usage_tracking
              WHERE user_id = p_user_id AND period_start <= p_now AND period_end > p_now), 0)
    + coalesce((SELECT sum(seconds - used_seconds - reserved_seconds - expired_seconds)
                FROM user_bonuses
                WHERE user_id = p_user_id AND (expires_at IS NULL OR expires_at > p_now)), 0)
  )::bigint;
END $$;

-- Takes up to p_seconds from a user's live grants, earliest-expiring bonus first, then the
-- plan; p_mode 'reserve' holds them (reserved_seconds), 'use' charges them (used_seconds).
-- Writes one audit row per grant touched. Returns {taken, draws}. The caller holds the lock.
CREATE FUNCTION quota_draw(
  p_user_id text, p_seconds integer, p_now timestamptz, p_mode text, p_action text,
  p_reservation_id text, p_build_id text, p_reason text, p_balance bigint
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  g record;
  want integer := p_seconds;
  take integer;
  balance bigint := p_balance;
  draws jsonb := '[]'::jsonb;
BEGIN
  FOR g IN
    SELECT 'bonus' AS kind, id, seconds - used_seconds - reserved_seconds - expired_seconds AS free,
           0 AS tier, expires_at AS ends, created_at
      FROM user_bonuses
      WHERE user_id = p_user_id AND (expires_at IS NULL OR expires_at > p_now)
        AND seconds - used_seconds - reserved_seconds - expired_seconds > 0
    UNION ALL
    SELECT 'plan', id, allowance_seconds - used_seconds - reserved_seconds - expired_seconds,
           1, period_end, period_start
      FROM usage_tracking
      WHERE user_id = p_user_id AND period_start <= p_now AND period_end > p_now
        AND allowance_seconds - used_seconds - reserved_seconds - expired_seconds > 0
    ORDER BY tier, ends NULLS LAST, created_at, id
  LOOP
    EXIT WHEN want <= 0;
    take := least(g.free, want);
    IF g.kind = 'bonus' THEN
      UPDATE user_bonuses
        SET reserved_seconds = reserved_seconds + CASE WHEN p_mode = 'reserve' THEN take ELSE 0 END,
            used_seconds = used_seconds + CASE WHEN p_mode = 'use' THEN take ELSE 0 END
        WHERE id = g.id AND seconds - used_seconds - reserved_seconds - expired_seconds >= take;
    ELSE
      UPDATE usage_tracking
        SET reserved_seconds = reserved_seconds + CASE WHEN p_mode = 'reserve' THEN take ELSE 0 END,
            used_seconds = used_seconds + CASE WHEN p_mode = 'use' THEN take ELSE 0 END,
            updated_at = now()
        WHERE id = g.id AND allowance_seconds - used_seconds - reserved_seconds - expired_seconds >= take;
    END IF;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'quota grant % changed while locked', g.id;
    END IF;
    INSERT INTO quota_audit_log (id, user_id, build_id, action, seconds, balance_before,
                                 balance_after, reason, reservation_id, grant_kind, grant_id)
      VALUES (sheen_ulid(), p_user_id, p_build_id, p_action, take, balance, balance - take,
              p_reason, p_reservation_id, g.kind, g.id);
    balance := balance - take;
    want := want - take;
    draws := draws || jsonb_build_array(jsonb_build_object('kind', g.kind, 'id', g.id, 'seconds', take));
  END LOOP;
  RETURN jsonb_build_object('taken', p_seconds - want, 'draws', draws);
END $$;

-- The default plan of a user who has none for the current period (p_allowance 0: none).
CREATE FUNCTION quota_ensure_plan(
  p_user_id text, p_allowance integer, p_period_start timestamptz, p_period_end timestamptz,
  p_now timestamptz
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  plan_id text := sheen_ulid();
  before bigint;
  starts timestamptz;
  ends timestamptz;
BEGIN
  IF p_allowance <= 0 OR EXISTS (
    SELECT 1 FROM usage_tracking
    WHERE user_id = p_user_id AND period_start <= p_now AND period_end > p_now
  ) THEN
    RETURN;
  END IF;
  -- Never into a plan the main app already set for later in the period.
  SELECT least(p_period_end, min(period_start)) INTO ends
    FROM usage_tracking WHERE user_id = p_user_id AND period_start > p_now;
  ends := coalesce(ends, p_period_end);
  -- Nor over a plan that ended earlier in the period.
  SELECT greatest(p_period_start, max(period_end)) INTO starts
    FROM usage_tracking WHERE user_id = p_user_id AND period_end <= p_now;
  starts := coalesce(starts, p_period_start);
  before := quota_balance(p_user_id, p_now);
  INSERT INTO usage_tracking (id, user_id, period_start, period_end, allowance_seconds, source)
    VALUES (plan_id, p_user_id, starts, ends, p_allowance, 'default')
    ON CONFLICT (user_id, period_start) DO NOTHING;
  IF FOUND THEN
    INSERT INTO quota_audit_log (id, user_id, action, seconds, balance_before, balance_after,
                                 reason, grant_kind, grant_id)
      VALUES (sheen_ulid(), p_user_id, 'grant', p_allowance, before, before + p_allowance,
              'default plan', 'plan', plan_id);
  END IF;
END $$;

-- Reserves p_seconds for one build round (or request) under p_key, atomically: the whole
-- estimate or nothing. A key seen before returns its reservation and reserves nothing more.
-- Returns {granted, reused, reservationId, seconds, balanceSeconds, draws}.
CREATE FUNCTION check_and_consume_quota_v2(
  p_user_id text, p_key text, p_seconds integer, p_operation text, p_build_id text,
  p_round integer, p_reservation_id text, p_default_allowance integer,
  p_period_start timestamptz, p_period_end timestamptz
) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  now_ts timestamptz := now();
  existing quota_reservations%ROWTYPE;
  balance bigint;
  drawn jsonb;
BEGIN
  IF p_seconds <= 0 THEN
    RAISE EXCEPTION 'a reservation needs a positive number of seconds';
  END IF;
  PERFORM quota_lock(p_user_id);
  SELECT * INTO existing FROM quota_reservations WHERE idempotency_key = p_key;
  IF FOUND THEN
    IF existing.user_id <> p_user_id THEN
      RAISE EXCEPTION 'reservation key % belongs to another user', p_key;
    END IF;
    RETURN jsonb_build_object('granted', true, 'reused', true, 'reservationId', existing.id,
      'seconds', existing.seconds, 'status', existing.status,
      'balanceSeconds', quota_balance(p_user_id, now_ts), 'draws', existing.draws);
  END IF;
  PERFORM quota_ensure_plan(p_user_id, p_default_allowance, p_period_start, p_period_end, now_ts);
  balance := quota_balance(p_user_id, now_ts);
  IF balance < p_seconds THEN
    RETURN jsonb_build_object('granted', false, 'reused', false, 'seconds', p_seconds,
      'balanceSeconds', balance);
  END IF;
  drawn := quota_draw(p_user_id, p_seconds, now_ts, 'reserve', 'reserve', p_reservation_id,
                      p_build_id, p_operation, balance);
  IF (drawn->>'taken')::integer <> p_seconds THEN
    RAISE EXCEPTION 'quota balance changed while locked';
  END IF;
  INSERT INTO quota_reservations (id, user_id, idempotency_key, build_id, round, operation,
                                  seconds, draws)
    VALUES (p_reservation_id, p_user_id, p_key, p_build_id, p_round, p_operation, p_seconds,
            drawn->'draws');
  RETURN jsonb_build_object('granted', true, 'reused', false, 'reservationId', p_reservation_id,
    'seconds', p_seconds, 'status', 'open', 'balanceSeconds', balance - p_seconds,
    'draws', drawn->'draws');
END $$;

-- Settles a reservation with the AI time it really used: that much moves from reserved to
-- used on the grants it drew from (in draw order), the rest is refunded. Time beyond the
-- reservation is charged from whatever balance is left, never below zero; what no grant covers
-- is recorded as unpaid. p_actual null: the build's engine calls not yet charged, which this
-- settlement claims. A settled reservation is left as it is.
-- Returns {settled, alreadySettled, usedSeconds, refundedSeconds, unpaidSeconds}.
CREATE FUNCTION settle_quota_v2(p_key text, p_actual integer) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  now_ts timestamptz := now();
  owner text;
  r quota_reservations%ROWTYPE;
  d record;
  actual integer := p_actual;
  tokens_in integer := 0;
  tokens_out integer := 0;
  cost numeric := 0;
  charge integer;
  use_here integer;
  back integer;
  over integer;
  extra jsonb;
  balance bigint;
BEGIN
  SELECT user_id INTO owner FROM quota_reservations WHERE idempotency_key = p_key;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('settled', false, 'found', false);
  END IF;
  PERFORM quota_lock(owner);
  SELECT * INTO r FROM quota_reservations WHERE idempotency_key = p_key FOR UPDATE;
  IF r.status = 'settled' THEN
    RETURN jsonb_build_object('settled', false, 'found', true, 'alreadySettled', true,
      'usedSeconds', r.used_seconds, 'refundedSeconds', r.refunded_seconds,
      'unpaidSeconds', r.unpaid_seconds);
  END IF;
  IF r.build_id IS NOT NULL THEN
    WITH claimed AS (
      UPDATE claude_user_usage SET reservation_id = r.id
        WHERE build_id = r.build_id AND reservation_id IS NULL
        RETURNING duration_ms, input_tokens + cache_read_tokens + cache_write_tokens AS input,
                  output_tokens, cost_usd
    )
    SELECT coalesce(ceil(sum(duration_ms) / 1000.0), 0)::integer, coalesce(sum(input), 0),
           coalesce(sum(output_tokens), 0), coalesce(sum(cost_usd), 0)
      INTO STRICT use_here, tokens_in, tokens_out, cost FROM claimed;
    IF actual IS NULL THEN actual := use_here; END IF;
  END IF;
  actual := greatest(coalesce(actual, 0), 0);
  balance := quota_balance(owner, now_ts);
  charge := least(actual, r.seconds);
  FOR d IN SELECT (x->>'kind') AS kind, (x->>'id') AS id, (x->>'seconds')::integer AS seconds
           FROM jsonb_array_elements(r.draws) AS x
  LOOP
    use_here := least(d.seconds, charge);
    back := d.seconds - use_here;
    charge := charge - use_here;
    IF d.kind = 'bonus' THEN
      UPDATE user_bonuses SET reserved_seconds = reserved_seconds - d.seconds,
                              used_seconds = used_seconds + use_here WHERE id = d.id;
    ELSE
      UPDATE usage_tracking SET reserved_seconds = reserved_seconds - d.seconds,
                                used_seconds = used_seconds + use_here, updated_at = now()
        WHERE id = d.id;
    END IF;
    IF use_here > 0 THEN
      INSERT INTO quota_audit_log (id, user_id, build_id, action, seconds, balance_before,
                                   balance_after, reason, reservation_id, grant_kind, grant_id)
        VALUES (sheen_ulid(), owner, r.build_id, 'settle', use_here, balance, balance,
                r.operation, r.id, d.kind, d.id);
    END IF;
    IF back > 0 THEN
      INSERT INTO quota_audit_log (id, user_id, build_id, action, seconds, balance_before,
                                   balance_after, reason, reservation_id, grant_kind, grant_id)
        VALUES (sheen_ulid(), owner, r.build_id, 'refund', back, balance, balance + back,
                r.operation, r.id, d.kind, d.id);
      balance := balance + back;
    END IF;
  END LOOP;
  over := greatest(actual - r.seconds, 0);
  IF over > 0 THEN
    extra := quota_draw(owner, over, now_ts, 'use', 'settle', r.id, r.build_id,
                        'beyond the reservation', quota_balance(owner, now_ts));
    over := over - (extra->>'taken')::integer;
  END IF;
  UPDATE quota_reservations
    SET status = 'settled', used_seconds = actual - over,
        refunded_seconds = greatest(r.seconds - actual, 0), unpaid_seconds = over,
        input_tokens = tokens_in, output_tokens = tokens_out, cost_usd = cost, settled_at = now()
    WHERE id = r.id;
  RETURN jsonb_build_object('settled', true, 'found', true, 'alreadySettled', false,
    'usedSeconds', actual - over, 'refundedSeconds', greatest(r.seconds - actual, 0),
    'unpaidSeconds', over);
END $$;

-- Writes an expire row for what is left of every grant that ended by p_now (including seconds
-- refunded to it after it ended). Returns the number of grants expired.
CREATE FUNCTION expire_quota_v2(p_now timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  g record;
  n integer := 0;
  left_over integer;
BEGIN
  FOR g IN
    SELECT 'bonus' AS kind, id, user_id FROM user_bonuses
      WHERE expires_at <= p_now AND seconds - used_seconds - reserved_seconds - expired_seconds > 0
    UNION ALL
    SELECT 'plan', id, user_id FROM usage_tracking
      WHERE period_end <= p_now
        AND allowance_seconds - used_seconds - reserved_seconds - expired_seconds > 0
  LOOP
    PERFORM quota_lock(g.user_id);
    -- Read again under the lock: a settlement may have run meanwhile.
    IF g.kind = 'bonus' THEN
      SELECT seconds - used_seconds - reserved_seconds - expired_seconds INTO left_over
        FROM user_bonuses WHERE id = g.id;
      UPDATE user_bonuses SET expired_seconds = expired_seconds + left_over WHERE id = g.id;
    ELSE
      SELECT allowance_seconds - used_seconds - reserved_seconds - expired_seconds INTO left_over
        FROM usage_tracking WHERE id = g.id;
      UPDATE usage_tracking SET expired_seconds = expired_seconds + left_over, updated_at = now()
        WHERE id = g.id;
    END IF;
    IF left_over > 0 THEN
      INSERT INTO quota_audit_log (id, user_id, action, seconds, reason, grant_kind, grant_id)
        VALUES (sheen_ulid(), g.user_id, 'expire', left_over, 'grant ended', g.kind, g.id);
      n := n + 1;
    END IF;
  END LOOP;
  RETURN n;
END $$;

-- Charges a build's engine calls that no reservation covered (a retried job re-ran a round
-- whose reservation was already settled), from what is left, never below zero. Returns
-- {chargedSeconds, unpaidSeconds}.
CREATE FUNCTION charge_unclaimed_quota_v2(p_build_id text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  owner text;
  seconds integer;
  drawn jsonb;
BEGIN
  SELECT user_id INTO owner FROM builds WHERE id = p_build_id;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('chargedSeconds', 0, 'unpaidSeconds', 0);
  END IF;
  PERFORM quota_lock(owner);
  WITH claimed AS (
    -- The build's last reservation takes them, so each call is charged once.
    UPDATE claude_user_usage SET reservation_id = (
        SELECT id FROM quota_reservations WHERE build_id = p_build_id
        ORDER BY created_at DESC, round DESC LIMIT 1)
      WHERE build_id = p_build_id AND reservation_id IS NULL
        AND EXISTS (SELECT 1 FROM quota_reservations WHERE build_id = p_build_id)
      RETURNING duration_ms
  )
  SELECT coalesce(ceil(sum(duration_ms) / 1000.0), 0)::integer INTO seconds FROM claimed;
  IF seconds = 0 THEN
    RETURN jsonb_build_object('chargedSeconds', 0, 'unpaidSeconds', 0);
  END IF;
  drawn := quota_draw(owner, seconds, now(), 'use', 'settle', NULL, p_build_id,
                      'not covered by a reservation', quota_balance(owner, now()));
  RETURN jsonb_build_object('chargedSeconds', (drawn->>'taken')::integer,
    'unpaidSeconds', seconds - (drawn->>'taken')::integer);
END $$;
