-- Links between incidents: a maintenance that overran and the incident
-- opened from it. Stored both ways, one row per direction, written in one
-- transaction: each incident lists its own links without a second query.
-- relation: 'became_incident' (on the maintenance), 'from_maintenance' (on
-- the incident). linked_at: when the one became the other.
CREATE TABLE incident_links (
    incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    linked_id    INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    relation     TEXT    NOT NULL CHECK (relation IN ('became_incident', 'from_maintenance')),
    linked_at    TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    PRIMARY KEY (incident_id, linked_id)
);
