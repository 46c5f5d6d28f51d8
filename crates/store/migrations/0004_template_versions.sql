-- Incident Desk, schema 4: the template library, every saved change a version.
--
-- One row per saved version of one file of the library, in the layout the
-- templates crate reads from a folder: `settings.toml`, or KIND/STATUS.LANG.md
-- (`incident/resolved.ja.md`), i.e. one per (kind, status, language).
-- A file's active version is its newest; only valid text is ever saved (the
-- store checks it with desk-templates first), and a rollback saves the old
-- text again as a new version. A file with no row uses the built-in text.
-- `id` doubles as the library's revision: the library at revision R is, for
-- each file, its newest version with id <= R.
CREATE TABLE template_versions (
    id        INTEGER PRIMARY KEY,
    path      TEXT    NOT NULL,
    version   INTEGER NOT NULL CHECK (version >= 1),
    source    TEXT    NOT NULL,
    author    TEXT    NOT NULL DEFAULT '',
    -- Why, when not by editing: "rolled back to version 3", "imported from …".
    note      TEXT    NOT NULL DEFAULT '',
    saved_at  TEXT    NOT NULL,
    UNIQUE (path, version)
);

-- The library revision an update was written from (NULL: not recorded, or
-- the built-in templates before any was saved: revision 0).
ALTER TABLE updates ADD COLUMN template_revision INTEGER;
