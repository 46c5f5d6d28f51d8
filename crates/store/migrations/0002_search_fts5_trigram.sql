-- Search, SQLITE ONLY: an FTS5 index with the trigram tokenizer, which finds
-- Japanese (no spaces between words) as well as English. One row per incident
-- (rowid = incidents.id): its titles and the text of all its updates.
-- Queries of fewer than three characters cannot use a trigram index; the store
-- falls back to LIKE on incidents/updates for them.
-- PostgreSQL's set will use pg_trgm GIN indexes on the same columns instead.

CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'trigram'
);

-- What the index holds for each incident.
CREATE VIEW search_source (id, title, body) AS
SELECT i.id,
       i.title_ja || ' ' || i.title_en,
       COALESCE((SELECT group_concat(u.text_ja || ' ' || u.text_en, ' ')
                 FROM updates u WHERE u.incident_id = i.id), '')
FROM incidents i;

INSERT INTO search_index (rowid, title, body) SELECT id, title, body FROM search_source;

CREATE TRIGGER search_incident_inserted AFTER INSERT ON incidents BEGIN
    INSERT INTO search_index (rowid, title, body)
    SELECT id, title, body FROM search_source WHERE id = NEW.id;
END;

CREATE TRIGGER search_incident_deleted AFTER DELETE ON incidents BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id;
END;

CREATE TRIGGER search_incident_retitled AFTER UPDATE OF title_ja, title_en ON incidents BEGIN
    DELETE FROM search_index WHERE rowid = NEW.id;
    INSERT INTO search_index (rowid, title, body)
    SELECT id, title, body FROM search_source WHERE id = NEW.id;
END;

CREATE TRIGGER search_update_inserted AFTER INSERT ON updates BEGIN
    DELETE FROM search_index WHERE rowid = NEW.incident_id;
    INSERT INTO search_index (rowid, title, body)
    SELECT id, title, body FROM search_source WHERE id = NEW.incident_id;
END;

CREATE TRIGGER search_update_edited AFTER UPDATE OF text_ja, text_en ON updates BEGIN
    DELETE FROM search_index WHERE rowid = NEW.incident_id;
    INSERT INTO search_index (rowid, title, body)
    SELECT id, title, body FROM search_source WHERE id = NEW.incident_id;
END;

CREATE TRIGGER search_update_deleted AFTER DELETE ON updates BEGIN
    DELETE FROM search_index WHERE rowid = OLD.incident_id;
    INSERT INTO search_index (rowid, title, body)
    SELECT id, title, body FROM search_source WHERE id = OLD.incident_id;
END;
