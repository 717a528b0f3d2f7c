-- Version 7: the alarm rules (docs/decisions/026).
-- A problem record may be SILENT: one sensor, keyed by its id, with no downstream sensor. SQLite
-- cannot change a CHECK or a NOT NULL in place: the table is rebuilt, rows and index as before.
CREATE TABLE problem_v7 (
  problem_id       TEXT    PRIMARY KEY,
  problem          TEXT    NOT NULL CHECK (problem IN ('OBSTRUCTION', 'PROBLEM', 'SILENT')),
  problem_time     INTEGER NOT NULL,
  problem_status   TEXT    NOT NULL CHECK (problem_status IN ('UNRESOLVED', 'RESOLVED')),
  upstream_id      TEXT    NOT NULL,
  downstream_id    TEXT    CHECK (downstream_id IS NOT NULL OR problem = 'SILENT'),
  upstream_value   TEXT,
  downstream_value TEXT,
  active           INTEGER NOT NULL CHECK (active IN (0, 1)),
  last_seen        INTEGER NOT NULL,
  resolved_time    INTEGER,
  resolved_by      TEXT,
  note             TEXT,
  version          INTEGER NOT NULL,
  acknowledged_time INTEGER,
  acknowledged_by  TEXT
);
INSERT INTO problem_v7 SELECT problem_id, problem, problem_time, problem_status, upstream_id,
  downstream_id, upstream_value, downstream_value, active, last_seen, resolved_time, resolved_by,
  note, version, acknowledged_time, acknowledged_by FROM problem;
DROP TABLE problem;
ALTER TABLE problem_v7 RENAME TO problem;
CREATE INDEX problem_by_time ON problem (problem_status, problem_time DESC, problem_id);

-- The silent-sensor sweep reads the devices last heard in a span of time, not every device.
CREATE INDEX device_by_last_update ON device (last_update);

-- Pairs seen not OK that wait out the confirmation window: since when, in measurement time.
CREATE TABLE pending_fault (
  problem_id TEXT    PRIMARY KEY,
  since      INTEGER NOT NULL,
  version    INTEGER NOT NULL
) WITHOUT ROWID;

-- Small named values of the alarm rules, e.g. how far the silent-sensor sweeps have got.
CREATE TABLE alarm_state (
  name  TEXT    PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
