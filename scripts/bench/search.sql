-- The page of GET /api/v1/products?q=WORD (relevance) for a common word:
-- walk the newest in-stock products through at most 1,000 for title
-- matches, else read every match and rank it; with shop names and first
-- photos.
\set w random(1, 12)
SELECT r.*, (SELECT s.display_name FROM shops s WHERE s.id = r.shop_id) AS shop_name, img.id AS image_id, img.variants
FROM (
	WITH walk AS MATERIALIZED (
		SELECT p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, p.shop_id, 0 AS tier
		FROM (SELECT p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, p.shop_id,
				p.title_search @@ to_tsquery('indonesian', (ARRAY['pisang','singkong','tempe','nanas','bawang','jahe','pandan','rotan','jati','mendung','sogan','bambu'])[:w]) AS hit
			FROM products p WHERE p.status = 'published' AND p.shop_id NOT IN (SELECT id FROM shops WHERE status <> 'active') AND (p.stock > 0 OR p.made_to_order)
			ORDER BY p.published_at DESC, p.id DESC LIMIT 1000) p
		WHERE hit LIMIT 25)
	SELECT * FROM walk WHERE (SELECT count(*) FROM walk) = 25
	UNION ALL
	SELECT * FROM (WITH m AS MATERIALIZED (
		SELECT p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, p.shop_id,
			(CASE WHEN p.title_search @@ to_tsquery('indonesian', (ARRAY['pisang','singkong','tempe','nanas','bawang','jahe','pandan','rotan','jati','mendung','sogan','bambu'])[:w]) THEN 0 ELSE 2 END
			 + CASE WHEN (p.stock > 0 OR p.made_to_order) THEN 0 ELSE 1 END) AS tier
		FROM products p WHERE p.status = 'published' AND p.shop_id NOT IN (SELECT id FROM shops WHERE status <> 'active')
			AND p.search @@ to_tsquery('indonesian', (ARRAY['pisang','singkong','tempe','nanas','bawang','jahe','pandan','rotan','jati','mendung','sogan','bambu'])[:w]))
		SELECT * FROM m ORDER BY tier, published_at DESC, id DESC LIMIT 25) e WHERE (SELECT count(*) FROM walk) < 25
) r
LEFT JOIN LATERAL (SELECT i.id, i.variants FROM product_images i WHERE i.product_id = r.id AND i.status = 'ready' ORDER BY i.position, i.id LIMIT 1) img ON true
ORDER BY r.tier, r.published_at DESC, r.id DESC;
