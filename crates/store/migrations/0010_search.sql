-- Search filters. SQLite's search index is migration 2's; PostgreSQL's
-- version of this migration adds its own (migrations/postgres/0010_search.sql).
-- Both: the kind filter's index.
CREATE INDEX incidents_by_kind ON incidents (kind, opened_at, id);
