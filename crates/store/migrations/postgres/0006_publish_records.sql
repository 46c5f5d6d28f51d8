-- What was published where, owned by the shared database (see
-- ../0006_publish_records.sql for the tables' meaning). Team members record
-- publishes and take locks and pace slots; a confirmed record never changes.
CREATE TABLE database_identity (
    singleton  BIGINT PRIMARY KEY CHECK (singleton = 1),
    uuid       TEXT   NOT NULL
);
INSERT INTO database_identity (singleton, uuid) VALUES (1, gen_random_uuid()::text);

CREATE TABLE publish_records (
    publish_id          TEXT    PRIMARY KEY,
    incident_key        TEXT    NOT NULL,
    update_index        BIGINT  NOT NULL CHECK (update_index >= 0),
    page_id             TEXT    NOT NULL,
    lang                TEXT,
    action              TEXT    NOT NULL CHECK (action IN ('create', 'update', 'postmortem')),
    state               TEXT    NOT NULL CHECK (state IN ('intended', 'sent', 'confirmed', 'unknown', 'failed')),
    remote_incident_id  TEXT,
    remote_update_id    TEXT,
    url                 TEXT,
    request_hash        TEXT,
    message             TEXT,
    recorded_by         TEXT    NOT NULL DEFAULT session_user,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX publish_records_by_incident ON publish_records (incident_key, page_id, update_index);

CREATE TABLE publish_locks (
    lock_key        TEXT    PRIMARY KEY,
    holder          TEXT    NOT NULL,
    lease_until_ms  BIGINT  NOT NULL
);

CREATE TABLE publish_pace (
    pace_key  TEXT    PRIMARY KEY,
    next_ms   BIGINT  NOT NULL
);

-- Who recorded it comes from the session; a confirmed publish stays confirmed.
CREATE FUNCTION desk_publish_record_check() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    NEW.recorded_by := session_user;
    IF TG_OP = 'UPDATE' AND OLD.state = 'confirmed' AND (NEW.state <> 'confirmed'
           OR NEW.remote_incident_id IS DISTINCT FROM OLD.remote_incident_id) THEN
        RAISE EXCEPTION 'a confirmed publish cannot be changed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $f$;
CREATE TRIGGER publish_records_check BEFORE INSERT OR UPDATE ON publish_records
    FOR EACH ROW EXECUTE FUNCTION desk_publish_record_check();

GRANT INSERT, UPDATE ON publish_records TO desk_user;
GRANT INSERT, UPDATE, DELETE ON publish_locks, publish_pace TO desk_user;
