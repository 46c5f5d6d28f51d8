-- Search on PostgreSQL (team mode), giving the same results as SQLite's
-- search (migration 2, src/search.rs): every word of a query occurs in the
-- incident's titles or in one of its updates, ASCII letters in either case.
--
-- Not pg_trgm. Its trigrams keep only the characters the database's
-- LC_CTYPE calls letters: in a database created with the C locale
-- (`initdb --locale=C`, and many hosted set-ups) every Japanese character is
-- dropped (show_trgm('障害') is empty), so a Japanese word cannot use its
-- index at all; it never helps a word of one or two characters, which
-- Japanese has many of (障害, 遅延); and CREATE EXTENSION needs a superuser
-- before PostgreSQL 13. Instead: every character and every pair of
-- characters of the text (cut by position, the same in any locale) in a GIN
-- index over a text[]. A word of two characters or more is looked up by all
-- its pairs, a word of one by itself; each candidate is then checked with
-- LIKE (ILIKE for a word with ASCII letters) on the real text. Built-in
-- functions only: the owner's migration needs no extension and no superuser.

-- Every distinct character and pair of neighbouring characters of the text,
-- ASCII letters in lower case (translate; lower() would follow the locale).
-- string_to_array and lead(): linear in the text's length (substr() by
-- position would be quadratic on multibyte text). About 1 ms for an
-- update's text: COST tells the planner never to compute it row by row
-- where the index has it.
CREATE FUNCTION desk_grams(t TEXT) RETURNS TEXT[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000
    AS $$
    SELECT coalesce(pg_catalog.array_agg(DISTINCT v.g), '{}')
    FROM (SELECT u.x, pg_catalog.lead(u.x) OVER (ORDER BY u.n) AS y
          FROM pg_catalog.unnest(pg_catalog.string_to_array(
                   pg_catalog.translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), NULL))
               WITH ORDINALITY AS u(x, n)) p,
         LATERAL (VALUES (p.x), (p.x || coalesce(p.y, ''))) v(g)
    $$;

CREATE INDEX incidents_search ON incidents USING gin (desk_grams(title_ja || ' ' || title_en));
CREATE INDEX updates_search ON updates USING gin (desk_grams(text_ja || ' ' || text_en));

-- The kind filter of a search.
CREATE INDEX incidents_by_kind ON incidents (kind, opened_at, id);
