-- A product page's one statement: the product, its shop and its ready
-- photos (found here by publication time, which seed --scale spaces a
-- second apart, where the page has its id).
\set k random(0, 99999)
SELECT p.id, p.title, p.description, p.category, p.price_idr, p.stock, p.weight_grams, p.made_to_order,
	p.processing_days, p.pirt_no, p.halal_no, p.best_before_days, s.id AS shop_id, s.display_name AS shop_name,
	(SELECT coalesce(json_agg(json_build_object('id', i.id, 'alt', i.alt, 'width', i.width, 'height', i.height, 'variants', i.variants)
		ORDER BY i.position, i.id), '[]') FROM product_images i WHERE i.product_id = p.id AND i.status = 'ready') AS photos
FROM products p JOIN shops s ON s.id = p.shop_id
WHERE p.published_at = (SELECT max(published_at) FROM products WHERE status = 'published') - make_interval(secs => :k)
	AND p.status = 'published' AND s.status = 'active';
