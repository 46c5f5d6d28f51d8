-- publish_log was meant to hold each send of an update to a page; nothing
-- ever wrote it (publishing keeps its own log, desk-publish's JsonlLog), so
-- the table goes, and with it its trigger (the trigger's function stays: it
-- also guards `updates`).
DROP TABLE IF EXISTS publish_log;
