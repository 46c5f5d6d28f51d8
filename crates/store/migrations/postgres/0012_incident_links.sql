-- Links between incidents (see ../0012_incident_links.sql): a maintenance
-- that overran and the incident opened from it, one row per direction.
-- Any member may link; who linked is the session's role; a link is a
-- record of what happened and is not changed afterwards.
CREATE TABLE incident_links (
    incident_id  BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    linked_id    BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    relation     TEXT   NOT NULL CHECK (relation IN ('became_incident', 'from_maintenance')),
    linked_at    TEXT   NOT NULL,
    actor        TEXT   NOT NULL DEFAULT session_user,
    PRIMARY KEY (incident_id, linked_id)
);

CREATE FUNCTION desk_incident_link_actor() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    NEW.actor := session_user;
    RETURN NEW;
END $f$;
CREATE TRIGGER incident_links_actor BEFORE INSERT ON incident_links
    FOR EACH ROW EXECUTE FUNCTION desk_incident_link_actor();
CREATE TRIGGER incident_links_append_only BEFORE UPDATE ON incident_links
    FOR EACH ROW EXECUTE FUNCTION desk_append_only();

GRANT SELECT, INSERT ON incident_links TO desk_user;

-- Every function here resolves names in this schema only (see migration 7).
SELECT desk_pin_search_paths();
