-- The page of GET /api/v1/products?category=... (newest first): the
-- newest published products of a category of open shops, with their shop
-- names and first ready photos, in one statement.
\set c random(1, 10)
SELECT r.*, (SELECT s.display_name FROM shops s WHERE s.id = r.shop_id) AS shop_name, img.id AS image_id, img.variants
FROM (
	SELECT p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, p.shop_id, 0 AS tier
	FROM products p
	WHERE p.status = 'published' AND p.category = (ARRAY['keripik','kue_kering','sambal','kopi','jamu','batik','tas','anyaman','cindera_mata','fesyen'])[:c]
		AND p.shop_id NOT IN (SELECT id FROM shops WHERE status <> 'active')
	ORDER BY p.published_at DESC, p.id DESC LIMIT 25
) r
LEFT JOIN LATERAL (SELECT i.id, i.variants FROM product_images i WHERE i.product_id = r.id AND i.status = 'ready' ORDER BY i.position, i.id LIMIT 1) img ON true
ORDER BY r.published_at DESC, r.id DESC;
