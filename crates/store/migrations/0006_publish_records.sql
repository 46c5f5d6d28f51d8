-- What was published where, owned by the database the drafts live in.
--
-- `database_identity`: a UUID made when the database is created; every
-- publish id of a stored incident includes it, so two databases never
-- collide and switching databases never marks the wrong update published.
-- `publish_records`: one row per publish of one update to one page, from the
-- intent to its outcome (intended → sent → confirmed / unknown / failed),
-- with the remote incident and update ids. The row is confirmed in the same
-- transaction that marks a stored update published.
-- `publish_locks`: who is publishing an incident to a page right now (a
-- lease), so two people clicking at once send one request.
-- `publish_pace`: the next free request slot per Statuspage key, shared by
-- every process and machine of the team.
CREATE TABLE database_identity (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    uuid       TEXT    NOT NULL
);
INSERT INTO database_identity (singleton, uuid)
VALUES (1, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
        || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))));

CREATE TABLE publish_records (
    publish_id          TEXT    PRIMARY KEY,
    -- `db:<database uuid>:<incident id>` or `doc:<document uid>`.
    incident_key        TEXT    NOT NULL,
    -- 0 = the incident's first update.
    update_index        INTEGER NOT NULL CHECK (update_index >= 0),
    page_id             TEXT    NOT NULL,
    lang                TEXT,
    action              TEXT    NOT NULL CHECK (action IN ('create', 'update', 'postmortem')),
    state               TEXT    NOT NULL CHECK (state IN ('intended', 'sent', 'confirmed', 'unknown', 'failed')),
    remote_incident_id  TEXT,
    remote_update_id    TEXT,
    url                 TEXT,
    -- The hash of the request (desk-app's request hash) that was sent.
    request_hash        TEXT,
    message             TEXT,
    recorded_by         TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX publish_records_by_incident ON publish_records (incident_key, page_id, update_index);

CREATE TABLE publish_locks (
    lock_key        TEXT    PRIMARY KEY,
    holder          TEXT    NOT NULL,
    -- Milliseconds since the Unix epoch.
    lease_until_ms  INTEGER NOT NULL
);

CREATE TABLE publish_pace (
    pace_key  TEXT    PRIMARY KEY,
    next_ms   INTEGER NOT NULL
);
