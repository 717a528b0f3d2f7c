-- Kloaka's local store, version 1. Applied in one transaction by Migrations.

-- One row per sensor; measurements is the bounded recent list as a JSON array, oldest first.
-- version backs the ports' version-checked replace.
CREATE TABLE device (
  id           TEXT    PRIMARY KEY,
  tube         INTEGER NOT NULL,
  sensor       INTEGER NOT NULL,
  last_value   TEXT    NOT NULL,
  last_update  INTEGER NOT NULL,
  measurements TEXT    NOT NULL,
  rssi         REAL,
  snr          REAL,
  version      INTEGER NOT NULL,
  UNIQUE (tube, sensor)
);

-- Every accepted message. seq is the rowid: a new row always gets a larger one than every row
-- present, so rows of the same second keep their arrival order.
CREATE TABLE measurement (
  seq       INTEGER PRIMARY KEY,
  device_id TEXT    NOT NULL REFERENCES device (id),
  dt        INTEGER NOT NULL,
  filling   TEXT    NOT NULL,
  rssi      REAL,
  snr       REAL
);
CREATE INDEX measurement_by_device_time ON measurement (device_id, dt, seq);
-- For retention: rows older than the cut-off, oldest first.
CREATE INDEX measurement_by_time ON measurement (dt);

CREATE TABLE problem (
  problem_id       TEXT    PRIMARY KEY,
  problem          TEXT    NOT NULL CHECK (problem IN ('OBSTRUCTION', 'PROBLEM')),
  problem_time     INTEGER NOT NULL,
  problem_status   TEXT    NOT NULL CHECK (problem_status IN ('UNRESOLVED', 'RESOLVED')),
  upstream_id      TEXT    NOT NULL,
  downstream_id    TEXT    NOT NULL,
  upstream_value   TEXT,
  downstream_value TEXT,
  active           INTEGER NOT NULL CHECK (active IN (0, 1)),
  last_seen        INTEGER NOT NULL,
  resolved_time    INTEGER,
  resolved_by      TEXT,
  note             TEXT,
  version          INTEGER NOT NULL
);
CREATE INDEX problem_by_time ON problem (problem_status, problem_time DESC, problem_id);

-- Refused messages, newest kept (RejectStore prunes below max(seq) - keep on every insert).
CREATE TABLE reject (
  seq      INTEGER PRIMARY KEY,
  reason   TEXT    NOT NULL,
  received INTEGER NOT NULL,
  payload  TEXT    NOT NULL
);
