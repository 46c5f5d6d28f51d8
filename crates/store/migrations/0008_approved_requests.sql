-- What an approval covers: the request that would be sent when it was given
-- (desk-publish's `request_digest`: per page the title and body, status,
-- impact, components, deliver_notifications, kind and maintenance times),
-- recorded with the approval in one transaction. A publish resting on the
-- approval is refused when the request it would send differs. Append-only.
CREATE TABLE approved_requests (
    review_id     INTEGER PRIMARY KEY REFERENCES reviews (id),
    request_hash  TEXT    NOT NULL,
    request       TEXT    NOT NULL
);
CREATE TRIGGER approved_requests_only_approvals BEFORE INSERT ON approved_requests
WHEN NOT EXISTS (SELECT 1 FROM reviews WHERE id = NEW.review_id AND action = 'approve')
BEGIN SELECT RAISE(ABORT, 'an approved request belongs to an approval'); END;
CREATE TRIGGER approved_requests_append_only_update BEFORE UPDATE ON approved_requests
BEGIN SELECT RAISE(ABORT, 'approved_requests are append-only'); END;
CREATE TRIGGER approved_requests_append_only_delete BEFORE DELETE ON approved_requests
BEGIN SELECT RAISE(ABORT, 'approved_requests are append-only'); END;
