-- publish_log was meant to hold each send of an update to a page; nothing
-- ever wrote it (publishing keeps its own log, desk-publish's JsonlLog), so
-- the table and its trigger go rather than describe something that is not there.
DROP TRIGGER IF EXISTS publish_log_needs_publication;
DROP INDEX IF EXISTS publish_log_by_incident;
DROP TABLE IF EXISTS publish_log;
