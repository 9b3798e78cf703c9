/**
 * Schema of the PostgreSQL event store (schema `event_store`), created idempotently at connect.
 *
 * Global order. A plain bigserial position is handed out at INSERT time, but transactions commit in
 * another order: a reader that sees position 6 committed while 5 is still in flight moves its
 * checkpoint past 5 and never sees it. Here the position is derived from the writing transaction's id
 * (`xid8`): position = xid * 2^20 + ordinal within the transaction. Readers only look at events whose
 * transaction id is below `pg_snapshot_xmin(pg_current_snapshot())`, i.e. transactions that have all
 * finished; every transaction that can still commit has an id at or above that bound, so its events
 * sort after anything a reader has already passed. Nothing is ever skipped, and a position stays one
 * comparable integer. (xid8 never wraps; 2^43 transactions fit before the position leaves bigint.)
 *
 * Expected revisions. The unique key (stream_id, revision) is the only concurrency control: an append
 * reads the stream's last committed revision (`max(revision)`, one descent of that key), writes nothing
 * unless it is the expected one, and inserts its events at the revisions that follow. Two appends that
 * expect the same revision both try to insert the same (stream_id, revision); the second waits for the
 * first and fails with a unique violation (23505 on events_stream_revision_key) when the first commits.
 * Revisions stay gapless because an event is only ever inserted right after a committed one of its
 * stream (or at 0), and events are never deleted. Writers of different streams never wait for each
 * other. (A `streams` table with one row per stream used to hold the revision; it was a second copy of
 * what the key already says, written by every append, and is dropped below.)
 *
 * The adapter appends with the statements below (APPEND_ONE_SQL, APPEND_SQL), each sent on its own, so
 * each is one transaction and its ordinals start at 1. `event_store.append_events` does the same check
 * in a function that can be called several times in one transaction (bulk loading, tests that hold a
 * transaction open); it continues the ordinal after the events the transaction already wrote. Were the
 * adapter's statements ever run twice in one transaction, the position's primary key would reject the
 * second one rather than let two events share a position.
 *
 * Listeners are notified by the adapter after the commit (see PostgresEventStore.announceAppend): a
 * NOTIFY inside the append would hold PostgreSQL's global notify lock through every append's commit and
 * WAL flush, so concurrent appends could never share a flush.
 */
export const EVENTS_PER_APPEND_LIMIT = 1 << 20;

/**
 * Expected revisions as one bigint parameter, so that one prepared statement serves every kind: an
 * exact revision is itself (>= 0); the other kinds are negative codes.
 */
export const EXPECTED_NO_STREAM = -1n;
export const EXPECTED_ANY = -2n;
export const EXPECTED_STREAM_EXISTS = -3n;

/** Whether a stream whose last committed revision is `current` (NULL: no stream) meets `expected`. */
const meets = (current: string, expected: string) =>
  `CASE WHEN ${expected} >= 0 THEN ${current} = ${expected}` +
  ` WHEN ${expected} = ${EXPECTED_NO_STREAM} THEN ${current} IS NULL` +
  ` WHEN ${expected} = ${EXPECTED_STREAM_EXISTS} THEN ${current} IS NOT NULL` +
  ` ELSE true END`;

/** The transaction's base position: xid * 2^20. */
const BASE_POSITION = `pg_current_xact_id()::text::bigint * ${EVENTS_PER_APPEND_LIMIT}`;

/**
 * One event to one stream: $1 stream, $2 expected (see EXPECTED_*), $3 id, $4 type, $5 data, $6 metadata.
 * Returns one row: the stream's last revision before the append (`actual`, NULL when there was no
 * stream) and the event's position, NULL when the expected revision did not hold and nothing was
 * written (then `actual` is what the caller reports). The transaction id is only taken in that case, so a
 * refused append writes no commit record either.
 */
export const APPEND_ONE_SQL = `
WITH current AS (SELECT max(revision) AS revision FROM event_store.events WHERE stream_id = $1),
inserted AS (
  INSERT INTO event_store.events (position, transaction_id, stream_id, revision, event_id, type, data, metadata)
  SELECT ${BASE_POSITION} + 1, pg_current_xact_id(), $1, coalesce(c.revision, -1) + 1, $3, $4, $5, $6
    FROM current c
   WHERE ${meets('c.revision', '$2::bigint')}
  RETURNING position
)
SELECT c.revision AS actual, i.position FROM current c LEFT JOIN inserted i ON true`;

/**
 * Several appends in one statement, hence one transaction: $1 is a jsonb array of
 * `{unit, stream, expected, count}` in order, $2 a jsonb array of every event `{id, type, data, metadata}`
 * in the same order. Appends sharing a `unit` are all or nothing (one appendToStreams call); units are
 * independent of each other (concurrent callers whose appends the adapter writes together, see
 * PostgresEventStore.write): a unit whose expected revisions do not all hold writes nothing, the others
 * are written. Every stream appears once in a statement, so each is checked against the log as it was
 * when the statement began. Returns one row per append in order: whether its expected revision held
 * (`ok`), the stream's last revision before (`actual`), and, when its unit was written, its last revision
 * and position.
 *
 * Both parameters are jsonb because PostgreSQL estimates a jsonb set the same whatever its size: the
 * generic plan then costs what a custom one does and is kept, where array parameters (whose length the
 * planner sees) made it plan every call again, which cost more than the append itself.
 */
export const APPEND_SQL = `
WITH appends AS (
  SELECT a.ordinal, a.unit, a.stream, a.count, sum(a.count) OVER (ORDER BY a.ordinal) - a.count AS skipped,
         c.revision AS actual, ${meets('c.revision', 'a.expected')} AS ok
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (unit integer, stream text, expected bigint, count integer))
         WITH ORDINALITY AS a(unit, stream, expected, count, ordinal)
    CROSS JOIN LATERAL (SELECT max(e.revision) AS revision FROM event_store.events e WHERE e.stream_id = a.stream) c
),
units AS (
  SELECT unit FROM appends GROUP BY unit HAVING bool_and(ok IS TRUE)
),
inserted AS (
  INSERT INTO event_store.events (position, transaction_id, stream_id, revision, event_id, type, data, metadata)
  SELECT ${BASE_POSITION} + e.ordinal, pg_current_xact_id(), a.stream, coalesce(a.actual, -1) + e.ordinal - a.skipped,
         e.id, e.type, e.data, e.metadata
    FROM appends a
    JOIN units u ON u.unit = a.unit
    JOIN ROWS FROM (jsonb_to_recordset($2::jsonb) AS (id uuid, type text, data jsonb, metadata jsonb)) WITH ORDINALITY AS e(id, type, data, metadata, ordinal)
      ON e.ordinal > a.skipped AND e.ordinal <= a.skipped + a.count
  RETURNING stream_id, revision, position
)
SELECT a.ordinal, a.unit, a.ok, a.actual, i.next_revision, i.last_position
  FROM appends a
  LEFT JOIN (SELECT stream_id, max(revision) AS next_revision, max(position) AS last_position FROM inserted GROUP BY stream_id) i
    ON i.stream_id = a.stream
 ORDER BY a.ordinal`;

export const eventStoreSchemaSql = `
CREATE SCHEMA IF NOT EXISTS event_store;

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

-- One append to one stream, continuing the ordinal of appends made earlier in the same transaction.
-- A refused expected revision raises AS409 (DETAIL: the actual revision or no_stream, HINT: the stream);
-- losing a race to a concurrent append raises 23505 on events_stream_revision_key.
CREATE OR REPLACE FUNCTION event_store.append_events(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (next_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count    integer := jsonb_array_length(p_events);
  v_base     bigint  := pg_current_xact_id()::text::bigint * ${EVENTS_PER_APPEND_LIMIT};
  v_expected bigint;
  v_actual   bigint;
  v_offset   bigint;
BEGIN
  IF v_count = 0 OR v_count >= ${EVENTS_PER_APPEND_LIMIT} THEN
    RAISE EXCEPTION 'append of % events is outside 1..%', v_count, ${EVENTS_PER_APPEND_LIMIT} - 1;
  END IF;
  IF p_expected = 'no_stream' THEN v_expected := ${EXPECTED_NO_STREAM};
  ELSIF p_expected = 'any' THEN v_expected := ${EXPECTED_ANY};
  ELSIF p_expected = 'stream_exists' THEN v_expected := ${EXPECTED_STREAM_EXISTS};
  ELSE v_expected := p_expected::bigint;
  END IF;
  SELECT coalesce(max(e.position) - v_base, 0) INTO v_offset
    FROM event_store.events e WHERE e.position >= v_base AND e.position < v_base + ${EVENTS_PER_APPEND_LIMIT};
  SELECT max(e.revision) INTO v_actual FROM event_store.events e WHERE e.stream_id = p_stream;
  IF (${meets('v_actual', 'v_expected')}) IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = 'AS409', MESSAGE = 'wrong expected revision', DETAIL = coalesce(v_actual::text, 'no_stream'), HINT = p_stream;
  END IF;

  INSERT INTO event_store.events (position, transaction_id, stream_id, revision, event_id, type, data, metadata)
  SELECT v_base + v_offset + e.ordinality, pg_current_xact_id(), p_stream, coalesce(v_actual, -1) + e.ordinality,
         (e.value->>'id')::uuid, e.value->>'type', e.value->'data', e.value->'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e;

  RETURN QUERY SELECT coalesce(v_actual, -1) + v_count, v_base + v_offset + v_count;
END
$fn$;

-- Several appends in one statement, hence one transaction, in order: the adapter uses it only when one
-- stream appears more than once (APPEND_SQL checks every stream against the state before the statement).
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

DROP TABLE IF EXISTS event_store.streams;
`;
