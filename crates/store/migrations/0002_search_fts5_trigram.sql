-- Search, SQLITE ONLY: an FTS5 index with the trigram tokenizer, which finds
-- Japanese (no spaces between words) as well as English.
--
-- One row per incident title and per update, contentless (the text lives in
-- incidents and updates) and detail=none (no positions: a small index). The
-- rowid says where the text is: incident id * 65536 + the update's position,
-- + 0 for the titles; so rowid / 65536 is the incident. A match is a set of
-- trigrams, not a phrase: the store checks candidates with LIKE on the real
-- text. Two spaces are indexed after each text, so that every character
-- starts a trigram: words of one or two characters are found through the
-- trigrams they start (search_vocab).
-- PostgreSQL's set will use pg_trgm GIN indexes on the same columns instead.

CREATE VIRTUAL TABLE search_index USING fts5 (
    text,
    content = '',
    contentless_delete = 1,
    detail = none,
    tokenize = 'trigram'
);

-- The distinct trigrams, for two-character words.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab (search_index, 'row');

INSERT INTO search_index (rowid, text)
SELECT id * 65536, title_ja || ' ' || title_en || '  ' FROM incidents;

INSERT INTO search_index (rowid, text)
SELECT incident_id * 65536 + position, text_ja || ' ' || text_en || '  ' FROM updates;

CREATE TRIGGER search_incident_inserted AFTER INSERT ON incidents BEGIN
    INSERT INTO search_index (rowid, text) VALUES (NEW.id * 65536, NEW.title_ja || ' ' || NEW.title_en || '  ');
END;

CREATE TRIGGER search_incident_retitled AFTER UPDATE OF title_ja, title_en ON incidents BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 65536;
    INSERT INTO search_index (rowid, text) VALUES (NEW.id * 65536, NEW.title_ja || ' ' || NEW.title_en || '  ');
END;

CREATE TRIGGER search_incident_deleted AFTER DELETE ON incidents BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 65536;
END;

CREATE TRIGGER search_update_inserted AFTER INSERT ON updates BEGIN
    INSERT INTO search_index (rowid, text)
    VALUES (NEW.incident_id * 65536 + NEW.position, NEW.text_ja || ' ' || NEW.text_en || '  ');
END;

CREATE TRIGGER search_update_edited AFTER UPDATE OF text_ja, text_en ON updates BEGIN
    DELETE FROM search_index WHERE rowid = OLD.incident_id * 65536 + OLD.position;
    INSERT INTO search_index (rowid, text)
    VALUES (NEW.incident_id * 65536 + NEW.position, NEW.text_ja || ' ' || NEW.text_en || '  ');
END;

CREATE TRIGGER search_update_deleted AFTER DELETE ON updates BEGIN
    DELETE FROM search_index WHERE rowid = OLD.incident_id * 65536 + OLD.position;
END;
