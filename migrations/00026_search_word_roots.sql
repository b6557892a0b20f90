-- +goose Up
-- How many published products hold each word, by root category: a word
-- searched within a category that does not sell it ("kaos" in makanan)
-- answers empty without reading products, and a word rare within the
-- category is read in full at once instead of walked for. Counts are by
-- surface word, so summed over a stem's words they are an upper bound.
CREATE TABLE search_word_roots (
    word          text NOT NULL,
    category_root text NOT NULL,
    products      int NOT NULL,
    PRIMARY KEY (word, category_root)
);

-- search_words_count of migration 00025, now also keeping the roots: the
-- words first, then the roots, each in key order, in every transaction.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_words_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH changes AS (SELECT r.title, r.description, r.category_root, 1 AS n FROM new_rows r WHERE r.status = 'published'),
        w AS (SELECT x.word, x.in_title, c.category_root, c.n FROM changes c, search_words_of(c.title, c.description) x),
        words AS (
            INSERT INTO search_words AS d (word, products, titles)
            SELECT word, sum(n), coalesce(sum(n) FILTER (WHERE in_title), 0) FROM w
            GROUP BY word HAVING sum(n) <> 0 OR sum(n) FILTER (WHERE in_title) <> 0 ORDER BY word
            ON CONFLICT (word) DO UPDATE SET products = d.products + excluded.products, titles = d.titles + excluded.titles)
        INSERT INTO search_word_roots AS s (word, category_root, products)
        SELECT word, category_root, sum(n) FROM w GROUP BY word, category_root HAVING sum(n) <> 0 ORDER BY word, category_root
        ON CONFLICT (word, category_root) DO UPDATE SET products = s.products + excluded.products;
    ELSIF TG_OP = 'DELETE' THEN
        WITH changes AS (SELECT r.title, r.description, r.category_root, -1 AS n FROM old_rows r WHERE r.status = 'published'),
        w AS (SELECT x.word, x.in_title, c.category_root, c.n FROM changes c, search_words_of(c.title, c.description) x),
        words AS (
            INSERT INTO search_words AS d (word, products, titles)
            SELECT word, sum(n), coalesce(sum(n) FILTER (WHERE in_title), 0) FROM w
            GROUP BY word HAVING sum(n) <> 0 OR sum(n) FILTER (WHERE in_title) <> 0 ORDER BY word
            ON CONFLICT (word) DO UPDATE SET products = d.products + excluded.products, titles = d.titles + excluded.titles)
        INSERT INTO search_word_roots AS s (word, category_root, products)
        SELECT word, category_root, sum(n) FROM w GROUP BY word, category_root HAVING sum(n) <> 0 ORDER BY word, category_root
        ON CONFLICT (word, category_root) DO UPDATE SET products = s.products + excluded.products;
    ELSE
        WITH changes AS (
            SELECT v.title, v.description, v.category_root, v.n
            FROM old_rows o JOIN new_rows r ON r.id = o.id,
                LATERAL (VALUES (o.title, o.description, o.category_root, -1, o.status), (r.title, r.description, r.category_root, 1, r.status))
                    v (title, description, category_root, n, status)
            WHERE (o.title, o.description, o.category_root, o.status) IS DISTINCT FROM (r.title, r.description, r.category_root, r.status)
                AND v.status = 'published'),
        w AS (SELECT x.word, x.in_title, c.category_root, c.n FROM changes c, search_words_of(c.title, c.description) x),
        words AS (
            INSERT INTO search_words AS d (word, products, titles)
            SELECT word, sum(n), coalesce(sum(n) FILTER (WHERE in_title), 0) FROM w
            GROUP BY word HAVING sum(n) <> 0 OR sum(n) FILTER (WHERE in_title) <> 0 ORDER BY word
            ON CONFLICT (word) DO UPDATE SET products = d.products + excluded.products, titles = d.titles + excluded.titles)
        INSERT INTO search_word_roots AS s (word, category_root, products)
        SELECT word, category_root, sum(n) FROM w GROUP BY word, category_root HAVING sum(n) <> 0 ORDER BY word, category_root
        ON CONFLICT (word, category_root) DO UPDATE SET products = s.products + excluded.products;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

INSERT INTO search_word_roots (word, category_root, products)
SELECT x.word, p.category_root, count(*)
FROM products p, search_words_of(p.title, p.description) x
WHERE p.status = 'published'
GROUP BY x.word, p.category_root;

-- +goose Down
DROP TABLE search_word_roots;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION search_words_count() RETURNS trigger LANGUAGE plpgsql AS $$
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
