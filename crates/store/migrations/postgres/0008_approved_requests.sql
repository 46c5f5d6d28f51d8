-- What an approval covers (see ../0008_approved_requests.sql): only the
-- approval's own actor records it, for an approval; it never changes.
CREATE TABLE approved_requests (
    review_id     BIGINT PRIMARY KEY REFERENCES reviews (id),
    request_hash  TEXT   NOT NULL,
    request       TEXT   NOT NULL
);

CREATE FUNCTION desk_approved_request_check() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM reviews r
        WHERE r.id = NEW.review_id AND r.action = 'approve' AND r.actor = session_user
    ) THEN
        RAISE EXCEPTION 'an approved request is recorded only by its approver, with the approval'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $f$;
CREATE TRIGGER approved_requests_check BEFORE INSERT ON approved_requests
    FOR EACH ROW EXECUTE FUNCTION desk_approved_request_check();
CREATE TRIGGER approved_requests_append_only BEFORE UPDATE OR DELETE ON approved_requests
    FOR EACH ROW EXECUTE FUNCTION desk_append_only();
CREATE TRIGGER approved_requests_no_truncate BEFORE TRUNCATE ON approved_requests
    FOR EACH STATEMENT EXECUTE FUNCTION desk_append_only();

GRANT SELECT, INSERT ON approved_requests TO desk_user;

-- Every function here resolves names in this schema only (see migration 7).
SELECT desk_pin_search_paths();
