-- Build event numbers are allocated in the database: each insert takes the next number from
-- its build's row in the same statement (EventsRepository.insert), so writers in different
-- processes (a worker and a cancelling API) never collide and numbers stay contiguous.

ALTER TABLE builds ADD COLUMN last_event_seq integer NOT NULL DEFAULT 0 CHECK (last_event_seq >= 0);

UPDATE builds SET last_event_seq = e.max_seq
FROM (SELECT build_id, max(seq) AS max_seq FROM build_events GROUP BY build_id) AS e
WHERE e.build_id = builds.id;
