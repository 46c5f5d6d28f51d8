-- The translation memory (desk-memory, issue 17): the aligned Japanese and
-- English segments it is built from, kept so that a memory is rebuilt by
-- reading them instead of aligning every update again, and the suggestions
-- authors inserted (marked until edited, shown to the approver).
--
-- `origin`: 'update' (a published update of this database), 'template' (a
-- fixed phrase of the template library) or 'import' (an imported bilingual
-- history). `source_key` names what the pairs were cut from
-- (`update:<updates.id>`, `template:<path>@<library revision>`,
-- `import:<label>:<incident>:<update>`); with `ordinal`, the pair's place in
-- it, it is unique, so adding the same update twice adds nothing.
-- AUTOINCREMENT: ids are never reused, so a reader that has seen every id up
-- to N knows that rows above N are new.
CREATE TABLE memory_pairs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    origin       TEXT    NOT NULL CHECK (origin IN ('update', 'template', 'import')),
    source_key   TEXT    NOT NULL,
    ordinal      INTEGER NOT NULL CHECK (ordinal >= 0),
    incident_id  INTEGER REFERENCES incidents (id) ON DELETE CASCADE,
    update_id    INTEGER REFERENCES updates (id) ON DELETE CASCADE,
    -- What a suggestion names as its source: the incident's title, the
    -- template's or the import's name.
    title        TEXT    NOT NULL DEFAULT '',
    text_ja      TEXT    NOT NULL,
    text_en      TEXT    NOT NULL,
    -- JSON desk_memory::SegmentPair (both texts with their origins).
    pair         TEXT    NOT NULL,
    added_at     TEXT    NOT NULL,
    UNIQUE (source_key, ordinal)
);
CREATE INDEX memory_pairs_by_incident ON memory_pairs (incident_id);

-- A suggestion the author inserted into a draft: `text` as inserted, in
-- `lang`, from the remembered segment of `source_incident` / `source_update`
-- (0 when it was a template phrase or imported history).
CREATE TABLE memory_inserts (
    id               INTEGER PRIMARY KEY,
    update_id        INTEGER NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
    lang             TEXT    NOT NULL CHECK (lang IN ('ja', 'en')),
    text             TEXT    NOT NULL,
    source_incident  INTEGER NOT NULL DEFAULT 0,
    source_update    INTEGER NOT NULL DEFAULT 0,
    source_lang      TEXT    NOT NULL CHECK (source_lang IN ('ja', 'en')),
    source_title     TEXT    NOT NULL DEFAULT '',
    actor            TEXT    NOT NULL,
    at               TEXT    NOT NULL
);
CREATE INDEX memory_inserts_by_update ON memory_inserts (update_id, id);
