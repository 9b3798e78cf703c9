/**
 * Schema of the PostgreSQL event store (schema `event_store`), created idempotently at connect.
 *
 * Global order. A plain bigserial position is handed out at INSERT time, but transactions commit in
 * another order: a reader that sees position 6 committed while 5 is still in flight moves its
 * checkpoint past 5 and never sees it. Here the position is derived from the writing transaction's id
 * (`xid8`): position = xid * 2^20 + ordinal within the append. Readers only look at events whose
 * transaction id is below `pg_snapshot_xmin(pg_current_snapshot())`, i.e. transactions that have all
 * finished; every transaction that can still commit has an id at or above that bound, so its events
 * sort after anything a reader has already passed. Nothing is ever skipped, and a position stays one
 * comparable integer. (xid8 never wraps; 2^43 transactions fit before the position leaves bigint.)
 *
 * Appends are one round trip: `event_store.append_events` checks the expected revision against the
 * `streams` row (the row lock serialises writers of one stream; writers of different streams never
 * wait for each other) and inserts the events, all in the caller's transaction. Listeners are notified by
 * the adapter after the commit (see PostgresEventStore.announceAppend): a NOTIFY inside the append
 * would hold PostgreSQL's global notify lock through every append's commit and WAL flush, so concurrent
 * appends could never share a flush.
 */
export const EVENTS_PER_APPEND_LIMIT = 1 << 20;

export const eventStoreSchemaSql = `
CREATE SCHEMA IF NOT EXISTS event_store;

CREATE TABLE IF NOT EXISTS event_store.streams (
  stream_id text PRIMARY KEY,
  revision  bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS event_store.events (
  position       bigint PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  stream_id      text NOT NULL,
  revision       bigint NOT NULL,
  event_id       uuid NOT NULL UNIQUE,
  type           text NOT NULL,
  data           jsonb NOT NULL,
  metadata       jsonb NOT NULL,
  created        timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)
);

CREATE OR REPLACE FUNCTION event_store.append_events(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (next_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count   integer := jsonb_array_length(p_events);
  v_xid     bigint  := pg_current_xact_id()::text::bigint;
  v_base    bigint  := v_xid * ${EVENTS_PER_APPEND_LIMIT};
  v_current bigint;
  v_actual  bigint;
  v_offset  bigint;
BEGIN
  IF v_count = 0 OR v_count >= ${EVENTS_PER_APPEND_LIMIT} THEN
    RAISE EXCEPTION 'append of % events is outside 1..%', v_count, ${EVENTS_PER_APPEND_LIMIT} - 1;
  END IF;
  -- Several appends in one transaction continue the ordinal after the ones already written.
  SELECT coalesce(max(e.position) - v_base, 0) INTO v_offset
    FROM event_store.events e WHERE e.position >= v_base AND e.position < v_base + ${EVENTS_PER_APPEND_LIMIT};

  IF p_expected = 'no_stream' THEN
    INSERT INTO event_store.streams AS s (stream_id, revision) VALUES (p_stream, v_count - 1)
      ON CONFLICT (stream_id) DO NOTHING;
    IF NOT FOUND THEN
      SELECT s.revision INTO v_actual FROM event_store.streams s WHERE s.stream_id = p_stream;
      RAISE EXCEPTION USING ERRCODE = 'AS409', MESSAGE = 'wrong expected revision', DETAIL = coalesce(v_actual::text, 'no_stream'), HINT = p_stream;
    END IF;
    v_current := -1;
  ELSIF p_expected = 'any' THEN
    INSERT INTO event_store.streams AS s (stream_id, revision) VALUES (p_stream, v_count - 1)
      ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count
      RETURNING s.revision - v_count INTO v_current;
  ELSIF p_expected = 'stream_exists' THEN
    UPDATE event_store.streams s SET revision = s.revision + v_count WHERE s.stream_id = p_stream
      RETURNING s.revision - v_count INTO v_current;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'AS409', MESSAGE = 'wrong expected revision', DETAIL = 'no_stream', HINT = p_stream;
    END IF;
  ELSE
    UPDATE event_store.streams s SET revision = s.revision + v_count
      WHERE s.stream_id = p_stream AND s.revision = p_expected::bigint
      RETURNING s.revision - v_count INTO v_current;
    IF NOT FOUND THEN
      SELECT s.revision INTO v_actual FROM event_store.streams s WHERE s.stream_id = p_stream;
      RAISE EXCEPTION USING ERRCODE = 'AS409', MESSAGE = 'wrong expected revision', DETAIL = coalesce(v_actual::text, 'no_stream'), HINT = p_stream;
    END IF;
  END IF;

  INSERT INTO event_store.events (position, transaction_id, stream_id, revision, event_id, type, data, metadata)
  SELECT v_base + v_offset + e.ordinality, pg_current_xact_id(), p_stream, v_current + e.ordinality,
         (e.value->>'id')::uuid, e.value->>'type', e.value->'data', e.value->'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e;

  RETURN QUERY SELECT v_current + v_count, v_base + v_offset + v_count;
END
$fn$;

-- Several streams in one statement, hence one transaction: every expected revision holds, or nothing is written.
CREATE OR REPLACE FUNCTION event_store.append_to_streams(p_appends jsonb)
RETURNS TABLE (ordinal bigint, next_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_append record;
BEGIN
  FOR v_append IN SELECT a.value, a.ordinality FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a LOOP
    RETURN QUERY SELECT v_append.ordinality, r.next_revision, r.last_position
      FROM event_store.append_events(v_append.value->>'stream', v_append.value->>'expected', v_append.value->'events') r;
  END LOOP;
END
$fn$;
`;
