-- +goose Up
-- A unit may let its sellers publish without review (DOMAIN.md moderation).
ALTER TABLE units ADD COLUMN publish_without_review boolean NOT NULL DEFAULT false;

-- The category tree of DOMAIN.md; names for both languages of the site.
CREATE TABLE categories (
    slug        text PRIMARY KEY CHECK (slug ~ '^[a-z_]+$'),
    parent_slug text REFERENCES categories (slug),
    name_id     text NOT NULL,
    name_en     text NOT NULL,
    position    int NOT NULL
);
INSERT INTO categories (slug, parent_slug, name_id, name_en, position) VALUES
    ('makanan', NULL, 'Makanan', 'Food', 1),
    ('minuman', NULL, 'Minuman', 'Drinks', 2),
    ('cindera_mata', NULL, 'Cindera Mata', 'Souvenirs', 3),
    ('kerajinan', NULL, 'Kerajinan', 'Crafts', 4),
    ('fesyen', NULL, 'Fesyen', 'Fashion', 5),
    ('lainnya', NULL, 'Lainnya', 'Other', 6),
    ('keripik', 'makanan', 'Keripik', 'Chips', 1),
    ('kue_kering', 'makanan', 'Kue Kering', 'Cookies', 2),
    ('sambal', 'makanan', 'Sambal', 'Chilli Sauce', 3),
    ('kopi', 'minuman', 'Kopi', 'Coffee', 1),
    ('jamu', 'minuman', 'Jamu & Wedang', 'Herbal Drinks', 2),
    ('batik', 'kerajinan', 'Batik', 'Batik', 1),
    ('anyaman', 'kerajinan', 'Anyaman', 'Woven Goods', 2),
    ('tas', 'kerajinan', 'Tas', 'Bags', 3),
    ('kayu', 'kerajinan', 'Kerajinan Kayu', 'Woodwork', 4),
    ('keramik', 'kerajinan', 'Keramik', 'Ceramics', 5);

-- A shop sells for one PM (linked to their case) or for an LKS workshop.
CREATE TABLE shops (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('beneficiary', 'lks_workshop')),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 3 AND 80),
    unit_id       uuid NOT NULL REFERENCES units (id),
    case_id       uuid REFERENCES cases (id),
    owner_user_id uuid NOT NULL REFERENCES users (id),
    status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    story         text NOT NULL DEFAULT '' CHECK (length(story) <= 2000),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CHECK ((kind = 'beneficiary') = (case_id IS NOT NULL))
);
CREATE UNIQUE INDEX shops_open_case_key ON shops (case_id) WHERE status <> 'closed';
CREATE INDEX shops_unit_idx ON shops (unit_id);
CREATE INDEX shops_owner_idx ON shops (owner_user_id);

CREATE TABLE products (
    id               uuid PRIMARY KEY,
    shop_id          uuid NOT NULL REFERENCES shops (id),
    title            text NOT NULL CHECK (length(title) BETWEEN 3 AND 120),
    description      text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    category         text NOT NULL REFERENCES categories (slug),
    -- The top of category's tree, so browsing "makanan" is one index range.
    category_root    text NOT NULL REFERENCES categories (slug),
    price_idr        bigint NOT NULL CHECK (price_idr BETWEEN 100 AND 100000000),
    stock            int NOT NULL CHECK (stock >= 0),
    weight_grams     int NOT NULL DEFAULT 0 CHECK (weight_grams BETWEEN 0 AND 100000),
    made_to_order    boolean NOT NULL DEFAULT false,
    processing_days  int NOT NULL DEFAULT 0 CHECK (processing_days BETWEEN 0 AND 60),
    pirt_no          text NOT NULL DEFAULT '',
    halal_no         text NOT NULL DEFAULT '',
    best_before_days int CHECK (best_before_days BETWEEN 1 AND 3650),
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending_review', 'published', 'rejected', 'archived')),
    reject_reason    text NOT NULL DEFAULT '',
    -- Copied from the shop's unit so browsing filters without a join.
    province_code    text NOT NULL,
    published_at     timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- Title weighs more than description; 'indonesian' stems ("anyaman"
    -- finds "anyam"), and the trigram index below catches typos.
    search           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('indonesian', title), 'A') || setweight(to_tsvector('indonesian', description), 'B')
    ) STORED,
    CHECK (status <> 'published' OR published_at IS NOT NULL)
) WITH (fillfactor = 80); -- room on each page so a stock update stays a HOT update and skips the many indexes
CREATE INDEX products_search_idx ON products USING gin (search) WHERE status = 'published';
CREATE INDEX products_title_trgm_idx ON products USING gin (lower(title) gin_trgm_ops) WHERE status = 'published';
CREATE INDEX products_newest_idx ON products (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX products_category_idx ON products (category, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX products_root_idx ON products (category_root, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX products_province_idx ON products (province_code, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX products_province_root_idx ON products (province_code, category_root, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX products_province_category_idx ON products (province_code, category, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX products_price_idx ON products (price_idr, id) WHERE status = 'published';
CREATE INDEX products_category_price_idx ON products (category, price_idr, id) WHERE status = 'published';
CREATE INDEX products_root_price_idx ON products (category_root, price_idr, id) WHERE status = 'published';
CREATE INDEX products_shop_idx ON products (shop_id, status);

-- Which PM made a product, and their share of its sales in basis points
-- (1/100 of a percent); a product's shares sum to 10000.
CREATE TABLE product_makers (
    product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    case_id    uuid NOT NULL REFERENCES cases (id),
    share_bp   int NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
    PRIMARY KEY (product_id, case_id)
);

-- Photos. The upload is kept privately until the processing job has made
-- the cleaned, resized variants; variant keys are content-addressed.
CREATE TABLE product_images (
    id           uuid PRIMARY KEY,
    product_id   uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position     int NOT NULL,
    alt          text NOT NULL DEFAULT '' CHECK (length(alt) <= 300),
    upload_key   text NOT NULL,
    status       text NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'ready', 'failed')),
    width        int,
    height       int,
    variants     jsonb NOT NULL DEFAULT '[]',
    created_at   timestamptz NOT NULL
);
CREATE INDEX product_images_product_idx ON product_images (product_id, position);

-- +goose Down
DROP TABLE product_images;
DROP TABLE product_makers;
DROP TABLE products;
DROP TABLE shops;
DROP TABLE categories;
ALTER TABLE units DROP COLUMN publish_without_review;
