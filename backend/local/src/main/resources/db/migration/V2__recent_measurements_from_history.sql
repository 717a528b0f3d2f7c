-- Version 2: a device's recent measurements are its newest history rows (docs/decisions/012),
-- read through measurement_by_device_time, no longer a JSON copy rewritten on every message.
-- Every measurement the old column held is a history row, so nothing is lost.
ALTER TABLE device DROP COLUMN measurements;
