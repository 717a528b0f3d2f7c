-- Version 4: the history in two tables (docs/decisions/028).
--
-- history_recent takes every accepted message as it arrives: a rowid table with no other index,
-- so an ingest batch appends to its last pages instead of dirtying one index page per sensor.
-- seq (the rowid) is the arrival order: AUTOINCREMENT, so a new row gets a larger seq than every
-- row before it, in either table, even after the table was emptied.
CREATE TABLE history_recent (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT    NOT NULL,
  dt        INTEGER NOT NULL,
  filling   TEXT    NOT NULL,
  rssi      REAL,
  snr       REAL
);

-- history holds the rest, clustered by UTC day (dt / 86400), then device and time: tens of
-- thousands of recent rows move here at once, sorted, so each device's page is written once per
-- move; a device's newest rows are a few pages of the newest days; retention deletes whole days
-- from the front of the table. No rowid and no secondary index: one B-tree, ~40 bytes a row.
CREATE TABLE history (
  day       INTEGER NOT NULL,
  device_id TEXT    NOT NULL,
  dt        INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  filling   TEXT    NOT NULL,
  rssi      REAL,
  snr       REAL,
  PRIMARY KEY (day, device_id, dt, seq)
) WITHOUT ROWID;

INSERT INTO history (day, device_id, dt, seq, filling, rssi, snr)
  SELECT dt / 86400, device_id, dt, seq, filling, rssi, snr FROM measurement
  ORDER BY dt / 86400, device_id, dt, seq;
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'history_recent', coalesce(max(seq), 0) FROM measurement;

DROP TABLE measurement;
