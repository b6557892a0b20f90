-- +goose Up
-- Search ranks title matches above description matches. The title gets a
-- vector and an index of its own so the planner knows how many products a
-- word is in the title of (weights inside one vector have no statistics),
-- and can walk the newest-first index for a common word instead of
-- reading every match.
ALTER TABLE products ADD COLUMN title_search tsvector GENERATED ALWAYS AS (to_tsvector('indonesian', title)) STORED;
CREATE INDEX products_title_search_idx ON products USING gin (title_search) WHERE status = 'published';
-- Typos are corrected against the dictionary below, never against titles.
DROP INDEX products_title_trgm_idx;
-- Searches leave out the products of paused or closed shops, a handful.
CREATE INDEX shops_inactive_idx ON shops (id) WHERE status <> 'active';

-- The words of the published catalog, as buyers type them (lower case,
-- unstemmed, letters only), with how many published products hold each
-- anywhere and in the title. A buyer's word is checked here (itself or its
-- Indonesian stem) and, when unknown, corrected to the most similar word
-- by trigrams: a few thousand rows, not every title. Words whose counts
-- fall to zero stay, counted as zero.
CREATE TABLE search_words (
    word     text PRIMARY KEY,
    lexeme   text NOT NULL GENERATED ALWAYS AS (coalesce((ts_lexize('indonesian_stem', word))[1], word)) STORED,
    products int NOT NULL,
    titles   int NOT NULL
);
CREATE INDEX search_words_lexeme_idx ON search_words (lexeme);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

-- +goose StatementBegin
CREATE FUNCTION search_words_of(title text, description text) RETURNS TABLE (word text, in_title boolean)
LANGUAGE sql IMMUTABLE AS $$
    SELECT w, w = ANY (tsvector_to_array(to_tsvector('simple'::regconfig, title)))
    FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, title || ' ' || description))) w
    WHERE w ~ '^[[:alpha:]]{3,40}$'
$$;
-- +goose StatementEnd

-- One grouped upsert per statement, words in key order, so two sellers
-- publishing at once lock shared words in the same order (no deadlock)
-- and a bulk load of products is one write per distinct word. An update
-- counts only rows whose title, description or status changed: a stock
-- change (every checkout) finds nothing to do.
-- +goose StatementBegin
CREATE FUNCTION search_words_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH changes AS (SELECT r.title, r.description, 1 AS n FROM new_rows r WHERE r.status = 'published')
        INSERT INTO search_words AS d (word, products, titles)
        SELECT x.word, sum(c.n), coalesce(sum(c.n) FILTER (WHERE x.in_title), 0)
        FROM changes c, search_words_of(c.title, c.description) x
        GROUP BY x.word HAVING sum(c.n) <> 0 OR sum(c.n) FILTER (WHERE x.in_title) <> 0 ORDER BY x.word
        ON CONFLICT (word) DO UPDATE SET products = d.products + excluded.products, titles = d.titles + excluded.titles;
    ELSIF TG_OP = 'DELETE' THEN
        WITH changes AS (SELECT r.title, r.description, -1 AS n FROM old_rows r WHERE r.status = 'published')
        INSERT INTO search_words AS d (word, products, titles)
        SELECT x.word, sum(c.n), coalesce(sum(c.n) FILTER (WHERE x.in_title), 0)
        FROM changes c, search_words_of(c.title, c.description) x
        GROUP BY x.word HAVING sum(c.n) <> 0 OR sum(c.n) FILTER (WHERE x.in_title) <> 0 ORDER BY x.word
        ON CONFLICT (word) DO UPDATE SET products = d.products + excluded.products, titles = d.titles + excluded.titles;
    ELSE
        WITH changes AS (
            SELECT v.title, v.description, v.n
            FROM old_rows o JOIN new_rows r ON r.id = o.id,
                LATERAL (VALUES (o.title, o.description, -1, o.status), (r.title, r.description, 1, r.status)) v (title, description, n, status)
            WHERE (o.title, o.description, o.status) IS DISTINCT FROM (r.title, r.description, r.status) AND v.status = 'published')
        INSERT INTO search_words AS d (word, products, titles)
        SELECT x.word, sum(c.n), coalesce(sum(c.n) FILTER (WHERE x.in_title), 0)
        FROM changes c, search_words_of(c.title, c.description) x
        GROUP BY x.word HAVING sum(c.n) <> 0 OR sum(c.n) FILTER (WHERE x.in_title) <> 0 ORDER BY x.word
        ON CONFLICT (word) DO UPDATE SET products = d.products + excluded.products, titles = d.titles + excluded.titles;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER products_search_words_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_count();
CREATE TRIGGER products_search_words_update AFTER UPDATE ON products
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_count();
CREATE TRIGGER products_search_words_delete AFTER DELETE ON products
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_words_count();

INSERT INTO search_words (word, products, titles)
SELECT x.word, count(*), count(*) FILTER (WHERE x.in_title)
FROM products p, search_words_of(p.title, p.description) x
WHERE p.status = 'published'
GROUP BY x.word;

-- +goose Down
DROP TRIGGER products_search_words_delete ON products;
DROP TRIGGER products_search_words_update ON products;
DROP TRIGGER products_search_words_insert ON products;
DROP FUNCTION search_words_count();
DROP FUNCTION search_words_of(text, text);
DROP TABLE search_words;
DROP INDEX shops_inactive_idx;
CREATE INDEX products_title_trgm_idx ON products USING gin (lower(title) gin_trgm_ops) WHERE status = 'published';
ALTER TABLE products DROP COLUMN title_search;
