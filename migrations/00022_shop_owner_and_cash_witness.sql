-- +goose Up
-- A pendamping acts for a PM only through a delegation, whose scopes,
-- expiry and revocation the policy checks; owning a shop gave them all of
-- it with none of those limits. A PM's shop is owned by the PM's own
-- seller account. Nothing links a case to that account, so a shop a
-- pendamping owned is left without an owner until staff open the PM's
-- account (the shop keeps working through staff and delegations), and the
-- pendamping keeps what they did as a delegation with every scope for 30
-- days, made in the name of the staff who opened the shop, so it can be
-- reviewed, narrowed or revoked like any other.
ALTER TABLE shops ALTER COLUMN owner_user_id DROP NOT NULL;
-- A workshop is always run by its LKS manager.
ALTER TABLE shops ADD CONSTRAINT shops_workshop_owner_check CHECK (kind = 'beneficiary' OR owner_user_id IS NOT NULL);

CREATE TEMPORARY TABLE moved_shops ON COMMIT DROP AS
SELECT s.id AS shop_id, s.case_id, s.owner_user_id AS pendamping_id, gen_random_uuid() AS delegation_id,
    COALESCE((SELECT a.actor_id FROM audit_log a JOIN users au ON au.id = a.actor_id
              WHERE a.action = 'shop.create' AND a.resource_kind = 'shop' AND a.resource_id = s.id::text
              ORDER BY a.at LIMIT 1), c.created_by) AS granted_by
FROM shops s JOIN users u ON u.id = s.owner_user_id JOIN cases c ON c.id = s.case_id
WHERE u.role = 'pendamping' AND s.kind = 'beneficiary';

UPDATE shops s SET owner_user_id = NULL, updated_at = now() FROM moved_shops m WHERE s.id = m.shop_id;

INSERT INTO delegations (id, pendamping_id, case_id, scopes, expires_at, created_by, created_at)
SELECT delegation_id, pendamping_id, case_id, ARRAY['listings', 'orders', 'shipping', 'earnings'], now() + interval '30 days', granted_by, now()
FROM moved_shops;

INSERT INTO case_events (case_id, type, occurred_at, actor_id, data)
SELECT m.case_id, 'delegation_granted', now(), m.granted_by, jsonb_build_object('delegation_id', m.delegation_id,
    'pendamping_user_id', m.pendamping_id, 'scopes', to_jsonb(d.scopes), 'expires_at', d.expires_at, 'shop_id', m.shop_id,
    'reason', 'shop_owner_was_pendamping')
FROM moved_shops m JOIN delegations d ON d.id = m.delegation_id;

INSERT INTO audit_log (actor_id, action, resource_kind, resource_id, outcome, detail)
SELECT NULL, 'shop.owner_cleared', 'shop', shop_id::text, 'ok',
    jsonb_build_object('former_owner_id', pendamping_id, 'delegation_id', delegation_id, 'migration', '00022')
FROM moved_shops;

-- Cash over PAYOUT_CASH_PROOF_OVER_IDR is paid with a proof photo or by two
-- people: the first one's record of the handover waits here for the second.
ALTER TABLE payout_lines ADD COLUMN cash_recorded_by uuid REFERENCES users (id),
    ADD COLUMN cash_recorded_reference text,
    ADD COLUMN cash_recorded_at timestamptz,
    ADD CHECK ((cash_recorded_by IS NULL) = (cash_recorded_reference IS NULL) AND (cash_recorded_by IS NULL) = (cash_recorded_at IS NULL)),
    ADD CHECK (cash_recorded_by IS NULL OR paid_by IS NULL OR cash_recorded_by <> paid_by);

-- +goose Down
ALTER TABLE payout_lines DROP COLUMN cash_recorded_by, DROP COLUMN cash_recorded_reference, DROP COLUMN cash_recorded_at;
-- The owners cleared above are not restored: a pendamping never owns a shop.
ALTER TABLE shops DROP CONSTRAINT shops_workshop_owner_check;
