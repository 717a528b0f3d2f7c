-- Version 3: what a The Things Stack uplink tells about its device (docs/decisions/020), each
-- the newest value a message carried: the best gateway's name, the DevEUI, the battery as the
-- device reports it (text, exactly as sent) and the frame counter.
ALTER TABLE device ADD COLUMN gateway_id TEXT;
ALTER TABLE device ADD COLUMN dev_eui TEXT;
ALTER TABLE device ADD COLUMN battery TEXT;
ALTER TABLE device ADD COLUMN f_cnt INTEGER;
