-- The SQL behind GET /api/v1/products?category=...: the newest published
-- products of a category, then their photos.
\set c random(1, 10)
SELECT p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, s.id AS shop_id, s.display_name AS shop_name
FROM products p JOIN shops s ON s.id = p.shop_id
WHERE p.status = 'published' AND s.status = 'active'
  AND p.category = (ARRAY['keripik','kue_kering','sambal','kopi','jamu','batik','tas','anyaman','cindera_mata','fesyen'])[:c]
ORDER BY p.published_at DESC, p.id DESC LIMIT 25;
SELECT * FROM product_images WHERE product_id IN (SELECT id FROM products WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 24) ORDER BY product_id, position, id;
