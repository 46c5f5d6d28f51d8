-- Incident Desk, schema 7, PostgreSQL (team mode): review bypasses that
-- schema 3 left open to a team member's role, closed. Each part names what a
-- member of desk_user could do with raw SQL before and what is refused now
-- (tests/bypasses.rs tries each as the author's role).
--
-- 1. The emergency policy was checked against updates.status and
--    updates.position, which authors may UPDATE: now against the status in
--    the revision's stored content (what is published) and a position the
--    database assigns and nobody changes.
-- 2. Published updates could be inserted into any incident whose source is
--    not 'app' (and a member may change a source): now only into an incident
--    inserted in the same transaction (an import), and a source never changes.
-- 3. A published update could be edited, restored or unpublished: now its
--    row, its revisions and its published revision stay as published.
-- 4. Deleting revisions and changing settings left no trace: now each is an
--    audit entry, written by a trigger, with what was deleted or changed.
-- 5. The audit chain read its head from the transaction's snapshot, so two
--    REPEATABLE READ transactions could chain onto the same entry: now the
--    head is a locked row (audit_head).
-- 6. Trigger functions found tables through the caller's search_path, where
--    a temporary table (pg_temp is searched first) could stand in for
--    emergency_policy, reviews, ...: now every plpgsql function of the schema
--    runs with the schema's own search_path, pg_temp last.

-- 1. The emergency policy -----------------------------------------------------

-- The status inside a revision's stored content (JSON of desk_model::Update),
-- NULL when the content is not such an object.
CREATE FUNCTION desk_revision_status(content text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
BEGIN
    RETURN content::jsonb ->> 'status';
EXCEPTION WHEN others THEN
    RETURN NULL;
END $f$;

-- An update's position is the next one of its incident when it is inserted
-- (whatever the client sends; the store sends the same), and neither it nor
-- the incident it belongs to changes afterwards: position 1 is the incident's
-- first update, which `first_only` rules rely on.
CREATE FUNCTION desk_update_place() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.position := (SELECT coalesce(max(position), 0) + 1 FROM updates WHERE incident_id = NEW.incident_id);
    ELSIF NEW.position IS DISTINCT FROM OLD.position OR NEW.incident_id IS DISTINCT FROM OLD.incident_id THEN
        RAISE EXCEPTION 'refused: an update''s incident and position never change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $f$;
CREATE TRIGGER updates_place BEFORE INSERT OR UPDATE ON updates
    FOR EACH ROW EXECUTE FUNCTION desk_update_place();

-- Schema 3's desk_publication_check still checks updates.status (a copy for
-- lists, which authors may change); this one, after it, checks the status the
-- revision itself holds, which is what is published. Both must pass.
CREATE FUNCTION desk_emergency_check() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF NEW.emergency_reason IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM updates u
        JOIN revisions r ON r.update_id = u.id AND r.number = NEW.revision
        JOIN emergency_policy p ON p.status = desk_revision_status(r.content)
        WHERE u.id = NEW.update_id AND (p.first_only = 0 OR u.position = 1)
    ) THEN
        RAISE EXCEPTION 'emergency publish refused: the policy does not allow this status without approval'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $f$;
CREATE TRIGGER publications_emergency_check BEFORE INSERT ON publications
    FOR EACH ROW EXECUTE FUNCTION desk_emergency_check();

-- 2. Imports ------------------------------------------------------------------

-- The transaction that inserted the incident (txid_current(), set here,
-- whatever the client sends, and kept on UPDATE). Not xmin: any UPDATE of the
-- row, even a no-op one, gives it a new xmin.
ALTER TABLE incidents ADD COLUMN created_xact BIGINT;

CREATE FUNCTION desk_incident_origin() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.created_xact := txid_current();
    ELSIF NEW.source IS DISTINCT FROM OLD.source THEN
        RAISE EXCEPTION 'refused: an incident''s source never changes' USING ERRCODE = 'insufficient_privilege';
    ELSE
        NEW.created_xact := OLD.created_xact;
    END IF;
    RETURN NEW;
END $f$;
CREATE TRIGGER incidents_origin BEFORE INSERT OR UPDATE ON incidents
    FOR EACH ROW EXECUTE FUNCTION desk_incident_origin();

-- Schema 3's desk_published_needs_publication lets an update be inserted as
-- published (imported history, which no publication here stands for) into
-- any incident whose source is not 'app'. This one, after it, narrows that
-- to an incident inserted by this same transaction (an import), and has an
-- update become published only at its current revision.
CREATE FUNCTION desk_published_at_current() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF NEW.state = 'published' AND (TG_OP = 'INSERT' OR OLD.state <> 'published') THEN
        IF NEW.published_revision IS DISTINCT FROM NEW.version THEN
            RAISE EXCEPTION 'publish refused: the published revision must be the update''s current one (revision %)', NEW.version
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'INSERT'
           AND NOT EXISTS (SELECT 1 FROM publications WHERE update_id = NEW.id AND revision = NEW.published_revision)
           AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = NEW.incident_id AND i.created_xact = txid_current())
        THEN
            RAISE EXCEPTION 'publish refused: no publication recorded for this revision'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END $f$;
CREATE TRIGGER updates_published_at_current BEFORE INSERT OR UPDATE ON updates
    FOR EACH ROW EXECUTE FUNCTION desk_published_at_current();

-- 3. Published updates --------------------------------------------------------

-- A published update stays what was published: its state, status, texts,
-- current and published revision do not change, no revision is added to it
-- and its current/published revision is not deleted.
-- Corrections of a published update are planned as a new revision that is
-- reviewed and published like a draft. When they come, this is the one place
-- to let them through: allow the row to move to a newer revision here (and
-- the revision insert in desk_revision_guard) when a publication of that
-- revision is recorded, as desk_published_needs_publication does for drafts.
CREATE FUNCTION desk_published_update_frozen() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF OLD.state = 'published'
       AND (NEW.state, NEW.status, NEW.text_ja, NEW.text_en, NEW.version, NEW.published_revision)
           IS DISTINCT FROM (OLD.state, OLD.status, OLD.text_ja, OLD.text_en, OLD.version, OLD.published_revision)
    THEN
        RAISE EXCEPTION 'edit refused: update % is published; a published update is not edited', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $f$;
-- (Named to fire before updates_publish_check, for the clearer refusal.)
CREATE TRIGGER updates_frozen_once_published BEFORE UPDATE ON updates
    FOR EACH ROW EXECUTE FUNCTION desk_published_update_frozen();

-- Revisions: none is added to a published update (except by the import that
-- inserts it: its incident was inserted by this transaction), and the
-- revision an update stands on (its current one, its published one) is not
-- deleted. Compaction never deletes those; deleting an update (the owner
-- only) takes its revisions with it.
CREATE FUNCTION desk_revision_guard() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
    cur_version bigint;
    pub_revision bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM updates u JOIN incidents i ON i.id = u.incident_id
                   WHERE u.id = NEW.update_id AND u.state = 'published'
                     AND i.created_xact IS DISTINCT FROM txid_current()) THEN
            RAISE EXCEPTION 'edit refused: update % is published; no revision is added to it', NEW.update_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    SELECT version, published_revision INTO cur_version, pub_revision FROM updates WHERE id = OLD.update_id;
    IF FOUND AND (OLD.number = cur_version OR OLD.number = pub_revision) THEN
        RAISE EXCEPTION 'delete refused: revision % is the current or published revision of update %', OLD.number, OLD.update_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END $f$;
CREATE TRIGGER revisions_guard BEFORE INSERT OR DELETE ON revisions
    FOR EACH ROW EXECUTE FUNCTION desk_revision_guard();

-- 4. Deleted revisions and settings in the audit log -------------------------

-- Compaction (and anyone) may still delete old revisions; each deletion is
-- an entry: the update, the revision's hash, number, author, note and time
-- (not its text: keeping it would undo compaction).
CREATE FUNCTION desk_audit_revision_delete() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    INSERT INTO audit_log (at, action, entity, entity_id, revision_hash, detail)
    VALUES ('', 'delete_revision', 'update', OLD.update_id, desk_sha256(OLD.content),
            jsonb_build_object('revision', OLD.number, 'author', OLD.author, 'note', OLD.note,
                               'saved_at', OLD.saved_at)::text);
    RETURN OLD;
END $f$;
CREATE TRIGGER revisions_delete_audited AFTER DELETE ON revisions
    FOR EACH ROW EXECUTE FUNCTION desk_audit_revision_delete();

-- Every change of a setting: the key, the value before (null: unset) and after.
CREATE FUNCTION desk_audit_setting() RETURNS trigger LANGUAGE plpgsql AS $f$
DECLARE
    detail jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO audit_log (at, action, entity, detail)
        VALUES ('', 'delete', 'setting', jsonb_build_object('key', OLD.key, 'old', OLD.value)::text);
        RETURN OLD;
    END IF;
    detail := jsonb_build_object('key', NEW.key, 'old', CASE WHEN TG_OP = 'UPDATE' THEN OLD.value END, 'new', NEW.value);
    IF TG_OP = 'UPDATE' AND NEW.key IS DISTINCT FROM OLD.key THEN
        detail := detail || jsonb_build_object('old_key', OLD.key);
    END IF;
    INSERT INTO audit_log (at, action, entity, detail) VALUES ('', 'set', 'setting', detail::text);
    RETURN NEW;
END $f$;
CREATE TRIGGER settings_audited AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION desk_audit_setting();

-- 5. One chain, whatever the isolation level ---------------------------------

-- The chain's newest hash, in one row. The chain trigger locks it: under
-- READ COMMITTED a second writer waits and then reads the newest head; under
-- REPEATABLE READ or SERIALIZABLE, when another entry was chained after the
-- transaction's snapshot, locking it fails with a serialization failure
-- (40001, to be retried) instead of chaining onto an old head. Only the
-- chain trigger (SECURITY DEFINER, the owner's rights) writes it.
CREATE TABLE audit_head (
    one   BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    hash  TEXT    NOT NULL
);
INSERT INTO audit_head (hash)
    VALUES (coalesce((SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1), ''));

CREATE OR REPLACE FUNCTION desk_audit_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $f$
DECLARE
    head text;
BEGIN
    SELECT hash INTO head FROM audit_head WHERE one FOR UPDATE;
    NEW.prev_hash := head;
    NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
    NEW.at := desk_now();
    NEW.actor := session_user;
    NEW.hash := desk_audit_hash(NEW.prev_hash, NEW.at, NEW.actor, NEW.action, NEW.entity,
                                NEW.entity_id, NEW.revision_hash, NEW.detail);
    UPDATE audit_head SET hash = NEW.hash WHERE one;
    RETURN NEW;
END $f$;

-- 6. Search paths ---------------------------------------------------------------

-- Every plpgsql function of this schema (the triggers above and those of
-- earlier schemas) finds tables in this schema, pg_temp last, so that
-- nobody's temporary table stands in for one of ours. A later migration that
-- adds or replaces such a function (CREATE OR REPLACE drops the setting) ends
-- with `SELECT desk_pin_search_paths();`.
CREATE FUNCTION desk_pin_search_paths() RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             JOIN pg_language l ON l.oid = p.prolang
             WHERE p.pronamespace = current_schema()::regnamespace AND l.lanname = 'plpgsql'
               AND p.proname LIKE 'desk\_%'
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, current_schema());
    END LOOP;
END $f$;
REVOKE EXECUTE ON FUNCTION desk_pin_search_paths() FROM PUBLIC;
SELECT desk_pin_search_paths();
