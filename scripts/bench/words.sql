-- The word check of every text search: each word of the query against the
-- dictionary (itself or its stem), and an unknown one corrected by trigrams.
\set w random(1, 6)
SELECT q.w AS word, k.products, k.titles, c.word AS correction, c.products AS c_products, c.titles AS c_titles
FROM unnest((ARRAY[ARRAY['keripik','pisang'], ARRAY['kripik','pisang'], ARRAY['durian','madu'], ARRAY['batik','sogan'], ARRAY['keripk','pisan'], ARRAY['tas','rotan']])[:w : :w]) q (w)
CROSS JOIN LATERAL (
	SELECT sum(d.products) AS products, sum(d.titles) AS titles FROM search_words d
	WHERE d.products > 0 AND (d.word = q.w OR d.lexeme = coalesce((ts_lexize('indonesian_stem', q.w))[1], q.w))) k
LEFT JOIN LATERAL (
	SELECT d.word, d.products, d.titles FROM search_words d
	WHERE k.products IS NULL AND d.products > 0 AND d.word % q.w AND similarity(d.word, q.w) >= 0.4
	ORDER BY similarity(d.word, q.w) DESC, d.products DESC, d.word LIMIT 1) c ON true;
