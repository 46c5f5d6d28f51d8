-- Incident Desk, schema 3 (SQLite): review and approval, emergency publishing,
-- a hash-chained audit log.
--
-- PostgreSQL has its own version (postgres/0003_review_audit.sql) where the
-- database takes identities from the session and refuses what is not allowed.
-- Here identities are what the store says (the OS user): the triggers below
-- stop honest mistakes and other programs that go through SQL without the
-- store's rules, not a person who can edit the file (see the crate's README).

-- Every review step on one revision of an update: a request, an approval, or
-- a request for changes (comments: JSON [{lang, start, end, quote, text}]).
CREATE TABLE reviews (
    id             INTEGER PRIMARY KEY,
    update_id      INTEGER NOT NULL REFERENCES updates (id),
    revision       INTEGER NOT NULL,
    -- SHA-256 (hex) of the revision's stored content.
    revision_hash  TEXT    NOT NULL,
    action         TEXT    NOT NULL CHECK (action IN ('request', 'approve', 'changes')),
    actor          TEXT    NOT NULL CHECK (actor <> ''),
    at             TEXT    NOT NULL,
    comments       TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX reviews_by_update ON reviews (update_id, revision, id);

-- Every publish the store let through: with the approval it rests on, or as an
-- emergency publish with its reason. Written before the request leaves.
CREATE TABLE publications (
    id                INTEGER PRIMARY KEY,
    update_id         INTEGER NOT NULL REFERENCES updates (id),
    revision          INTEGER NOT NULL,
    revision_hash     TEXT    NOT NULL,
    actor             TEXT    NOT NULL CHECK (actor <> ''),
    at                TEXT    NOT NULL,
    approval_id       INTEGER REFERENCES reviews (id),
    emergency_reason  TEXT,
    CHECK ((approval_id IS NULL) <> (emergency_reason IS NULL)),
    CHECK (emergency_reason IS NULL OR length(trim(emergency_reason)) > 0)
);
CREATE INDEX publications_by_update ON publications (update_id, revision);

-- The organisation's emergency policy: statuses an author may publish without
-- approval (with a reason); `first_only` = only as an incident's first update.
CREATE TABLE emergency_policy (
    status      TEXT    PRIMARY KEY,
    first_only  INTEGER NOT NULL DEFAULT 1 CHECK (first_only IN (0, 1)),
    updated_by  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

-- The audit log becomes a hash chain: hash = SHA-256 over the previous entry's
-- hash and this entry's fields (crate::audit::entry_hash). Entries written
-- before schema 3 have no hash and stay outside the chain.
ALTER TABLE audit_log ADD COLUMN revision_hash TEXT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER reviews_append_only_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER reviews_append_only_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER publications_append_only_update BEFORE UPDATE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are append-only'); END;
CREATE TRIGGER publications_append_only_delete BEFORE DELETE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are append-only'); END;

-- A revision's text never changes once saved (approvals name it).
CREATE TRIGGER revisions_immutable BEFORE UPDATE OF content, author, number, update_id ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;

-- A review names a revision that exists.
CREATE TRIGGER reviews_revision_exists BEFORE INSERT ON reviews
WHEN NOT EXISTS (SELECT 1 FROM revisions WHERE update_id = NEW.update_id AND number = NEW.revision)
BEGIN SELECT RAISE(ABORT, 'review of a revision that does not exist'); END;

-- Nobody approves their own revision.
CREATE TRIGGER reviews_no_self_approval BEFORE INSERT ON reviews
WHEN NEW.action = 'approve' AND EXISTS (
    SELECT 1 FROM revisions WHERE update_id = NEW.update_id AND number = NEW.revision AND author = NEW.actor)
BEGIN SELECT RAISE(ABORT, 'self-approval refused: the author of a revision cannot approve it'); END;

-- A publish is of the current revision, and rests either on the latest
-- decision on that exact revision being an approval by someone other than its
-- author, with the same content hash, or on the emergency policy.
CREATE TRIGGER publications_of_current_revision BEFORE INSERT ON publications
WHEN NOT EXISTS (SELECT 1 FROM updates WHERE id = NEW.update_id AND version = NEW.revision)
BEGIN SELECT RAISE(ABORT, 'publish refused: only the current revision can be published'); END;

CREATE TRIGGER publications_need_approval BEFORE INSERT ON publications
WHEN NEW.emergency_reason IS NULL AND NOT EXISTS (
    SELECT 1 FROM reviews a JOIN revisions r ON r.update_id = a.update_id AND r.number = a.revision
    WHERE a.id = NEW.approval_id AND a.update_id = NEW.update_id AND a.revision = NEW.revision
      AND a.action = 'approve' AND a.actor <> r.author AND a.revision_hash = NEW.revision_hash
      AND NOT EXISTS (SELECT 1 FROM reviews later WHERE later.update_id = a.update_id
                      AND later.revision = a.revision AND later.action = 'changes' AND later.id > a.id))
BEGIN SELECT RAISE(ABORT, 'publish refused: no approval of this exact revision by someone other than its author'); END;

CREATE TRIGGER publications_emergency_policy BEFORE INSERT ON publications
WHEN NEW.emergency_reason IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM updates u JOIN emergency_policy p ON p.status = u.status
    WHERE u.id = NEW.update_id AND (p.first_only = 0 OR u.position = 1))
BEGIN SELECT RAISE(ABORT, 'emergency publish refused: the policy does not allow this status without approval'); END;

-- An update becomes published only through a recorded publication; a publish
-- attempt is logged only for one.
CREATE TRIGGER updates_publish_needs_publication BEFORE UPDATE OF published_revision, state ON updates
WHEN NEW.state = 'published' AND (OLD.state <> 'published' OR NEW.published_revision IS NOT OLD.published_revision)
 AND NOT EXISTS (SELECT 1 FROM publications WHERE update_id = NEW.id AND revision = NEW.published_revision)
BEGIN SELECT RAISE(ABORT, 'publish refused: no publication recorded for this revision'); END;

CREATE TRIGGER publish_log_needs_publication BEFORE INSERT ON publish_log
WHEN NEW.outcome = 'sent' AND NOT EXISTS (
    SELECT 1 FROM publications WHERE update_id = NEW.update_id AND revision = NEW.revision)
BEGIN SELECT RAISE(ABORT, 'publish refused: no publication recorded for this revision'); END;
