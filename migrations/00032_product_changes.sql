-- +goose Up
-- A published product stays on sale while a change to what a reviewer
-- checks waits for review. The products row is the published version: the
-- public pages, search, its indexes and the word dictionary keep reading
-- it, untouched by the change. The change holds the seller's next
-- version of the reviewed fields in full; approving it copies them onto
-- the product. Price, stock and the rest are not reviewed and change the
-- product at once.
CREATE TABLE product_changes (
    product_id    uuid PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    -- draft: saved, not sent; pending: sent, in the review queue;
    -- rejected: sent back with a reason (the seller edits and sends again).
    status        text NOT NULL CHECK (status IN ('draft', 'pending', 'rejected')),
    title         text NOT NULL CHECK (length(title) BETWEEN 3 AND 120),
    description   text NOT NULL CHECK (length(description) <= 5000),
    category      text NOT NULL REFERENCES categories (slug),
    category_root text NOT NULL REFERENCES categories (slug),
    pirt_no       text NOT NULL,
    halal_no      text NOT NULL,
    reject_reason text NOT NULL DEFAULT '',
    submitted_at  timestamptz,
    updated_at    timestamptz NOT NULL,
    CHECK (status = 'draft' OR submitted_at IS NOT NULL)
);
CREATE INDEX product_changes_pending_idx ON product_changes (submitted_at) WHERE status = 'pending';

-- A photo change of a published product waits the same way: a photo added
-- stays out of public answers (pending = 'add'), one deleted stays in them
-- (pending = 'remove'), and a new caption or place is kept beside the
-- published one until the change is approved. Rows default to published,
-- so a photo of a draft is simply the draft's.
ALTER TABLE product_images
    ADD COLUMN pending text NOT NULL DEFAULT '' CHECK (pending IN ('', 'add', 'remove')),
    ADD COLUMN pending_alt text CHECK (length(pending_alt) <= 300),
    ADD COLUMN pending_position int;

-- +goose Down
ALTER TABLE product_images DROP COLUMN pending_position, DROP COLUMN pending_alt, DROP COLUMN pending;
DROP TABLE product_changes;
