-- Version 3: what a The Things Stack uplink tells about its device (docs/decisions/020), each
-- the newest value a message carried: the best gateway's name, the DevEUI, the battery as the
-- device reports it (text, exactly as sent) and the frame counter.
ALTER TABLE device ADD COLUMN gateway_id TEXT;
ALTER TABLE device ADD COLUMN dev_eui TEXT;
ALTER TABLE device ADD COLUMN battery TEXT;
ALTER TABLE device ADD COLUMN f_cnt INTEGER;

-- Uplinks taken from The Things Stack's MQTT server or its Storage Integration, by device and
-- the Application Server's received_at (epoch nanoseconds): what makes a backfill skip what
-- was stored live, and where the next backfill starts (docs/decisions/021).
CREATE TABLE ttn_uplink (
  device_id   TEXT    NOT NULL,
  received_ns INTEGER NOT NULL,
  PRIMARY KEY (device_id, received_ns)
) WITHOUT ROWID;
CREATE INDEX ttn_uplink_by_time ON ttn_uplink (received_ns);
