-- The SQL behind GET /api/v1/products?q=...: rank the newest matches of a
-- word, then fetch the page's photos.
\set w random(1, 12)
SELECT p.* FROM (
  SELECT p.id, p.title, p.category, p.province_code, p.price_idr, p.stock, p.made_to_order, p.published_at, s.id AS shop_id, s.display_name AS shop_name, p.search
  FROM products p JOIN shops s ON s.id = p.shop_id
  WHERE p.status = 'published' AND s.status = 'active'
    AND p.search @@ websearch_to_tsquery('indonesian', (ARRAY['pisang','singkong','tempe','nanas','bawang','jahe','pandan','rotan','jati','mega mendung','sogan','bambu'])[:w])
  ORDER BY p.published_at DESC, p.id DESC LIMIT 120) p
ORDER BY ts_rank_cd(p.search, websearch_to_tsquery('indonesian', (ARRAY['pisang','singkong','tempe','nanas','bawang','jahe','pandan','rotan','jati','mega mendung','sogan','bambu'])[:w])) DESC, p.published_at DESC, p.id
LIMIT 25;
SELECT * FROM product_images WHERE product_id IN (SELECT id FROM products WHERE status = 'published' AND search @@ websearch_to_tsquery('indonesian', 'pisang') LIMIT 24) ORDER BY product_id, position, id;
