-- Incident Desk, schema 7 (SQLite): the rules of postgres/0007 that hold on
-- one machine too, as guard rails (see 0003 for what SQLite triggers protect).
--
-- Here as there: the emergency policy is checked against the revision's own
-- status and an update's position (assigned on insert, never changed); an
-- incident's source never changes, and updates are not inserted as published
-- into the app's own incidents; a published update does not become a draft
-- again, and the revision an update stands on is not deleted.
-- Not here: the same-transaction test for imports (an imported incident may
-- get more published updates), refusing edits of a published update's text
-- (the store still saves them in single-person mode), the audit triggers
-- (SQLite has no SHA-256 in SQL: the store writes those entries itself) and
-- the audit head (one writer at a time holds the file's write lock).

-- The emergency policy, against the status stored in the revision.
DROP TRIGGER publications_emergency_policy;
CREATE TRIGGER publications_emergency_policy BEFORE INSERT ON publications
WHEN NEW.emergency_reason IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM updates u
    JOIN revisions r ON r.update_id = u.id AND r.number = NEW.revision
    JOIN emergency_policy p
      ON p.status = CASE WHEN json_valid(r.content) THEN json_extract(r.content, '$.status') END
    WHERE u.id = NEW.update_id AND (p.first_only = 0 OR u.position = 1))
BEGIN SELECT RAISE(ABORT, 'emergency publish refused: the policy does not allow this status without approval'); END;

-- Position 1 is an incident's first update.
CREATE TRIGGER updates_next_position BEFORE INSERT ON updates
WHEN NEW.position IS NOT (SELECT COALESCE(MAX(position), 0) + 1 FROM updates WHERE incident_id = NEW.incident_id)
BEGIN SELECT RAISE(ABORT, 'refused: a new update takes the next position of its incident'); END;
CREATE TRIGGER updates_place_fixed BEFORE UPDATE OF position, incident_id ON updates
WHEN NEW.position IS NOT OLD.position OR NEW.incident_id IS NOT OLD.incident_id
BEGIN SELECT RAISE(ABORT, 'refused: an update''s incident and position never change'); END;

-- Imported history is inserted as published; the app's own incidents are not.
CREATE TRIGGER incidents_source_fixed BEFORE UPDATE OF source ON incidents
WHEN NEW.source IS NOT OLD.source
BEGIN SELECT RAISE(ABORT, 'refused: an incident''s source never changes'); END;
CREATE TRIGGER updates_inserted_published BEFORE INSERT ON updates
WHEN NEW.state = 'published' AND EXISTS (SELECT 1 FROM incidents WHERE id = NEW.incident_id AND source = 'app')
BEGIN SELECT RAISE(ABORT, 'publish refused: no publication recorded for this revision'); END;

-- Published stays published, and keeps the revision it stands on.
CREATE TRIGGER updates_published_stays BEFORE UPDATE OF state ON updates
WHEN OLD.state = 'published' AND NEW.state IS NOT 'published'
BEGIN SELECT RAISE(ABORT, 'edit refused: a published update does not become a draft again'); END;
CREATE TRIGGER revisions_kept_while_used BEFORE DELETE ON revisions
WHEN EXISTS (SELECT 1 FROM updates WHERE id = OLD.update_id AND (version = OLD.number OR published_revision = OLD.number))
BEGIN SELECT RAISE(ABORT, 'delete refused: the revision is the current or published revision of its update'); END;
