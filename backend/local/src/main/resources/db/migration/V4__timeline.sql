-- Version 4: acknowledge and the pairs' timelines (docs/problems.md, "Acknowledge", "Timeline").
-- Existing records start unacknowledged, as the records of every new occurrence do.
ALTER TABLE problem ADD COLUMN acknowledged_time INTEGER;
ALTER TABLE problem ADD COLUMN acknowledged_by TEXT;

-- Every event of every occurrence of a pair, kept when a resolved record is replaced.
-- event_key (TimelineStore.keyOf: time, type order, digest) is the event's identity within its
-- pair, so a redelivered write adds nothing, and sorting by it is the timeline's order.
CREATE TABLE problem_event (
  problem_id   TEXT    NOT NULL,
  event_key    TEXT    NOT NULL,
  type         TEXT    NOT NULL,
  time         INTEGER NOT NULL,
  by_name      TEXT,
  note         TEXT,
  problem_time INTEGER NOT NULL,
  problem      TEXT,
  PRIMARY KEY (problem_id, event_key)
) WITHOUT ROWID;
-- The shift report: events of every pair in a span.
CREATE INDEX problem_event_by_time ON problem_event (time, event_key, problem_id);
