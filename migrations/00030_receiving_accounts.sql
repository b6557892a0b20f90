-- +goose Up
-- Where buyers of a unit's shops transfer money (CONTRACT.md
-- PUT /units/{id}/receiving-account). An LKS without one of its own takes
-- its Balai's. It is the institution's account, shown to every buyer of a
-- bank-transfer checkout, so nothing here is sealed.
CREATE TABLE unit_receiving_accounts (
    unit_id      uuid PRIMARY KEY REFERENCES units (id),
    bank         text NOT NULL CHECK (length(bank) BETWEEN 2 AND 60),
    account_no   text NOT NULL CHECK (account_no ~ '^[0-9]{5,20}$'),
    account_name text NOT NULL CHECK (length(account_name) BETWEEN 3 AND 100),
    updated_by   uuid NOT NULL REFERENCES users (id),
    updated_at   timestamptz NOT NULL
);

-- The account a bank-transfer group is paid into, as the buyer was told at
-- checkout: a later change of the unit's account does not move where an
-- open order's money goes. pay_unit_id is the unit that holds it (the one
-- whose statement staff check to confirm the transfer).
ALTER TABLE order_groups
    ADD COLUMN pay_unit_id uuid REFERENCES units (id),
    ADD COLUMN pay_bank text NOT NULL DEFAULT '',
    ADD COLUMN pay_account_no text NOT NULL DEFAULT '',
    ADD COLUMN pay_account_name text NOT NULL DEFAULT '';

-- What the system writes in an order's history is a catalogue key, shown in
-- the reader's language; note keeps what a person typed (or the key's
-- argument, such as a transfer reference).
ALTER TABLE order_history ADD COLUMN note_key text NOT NULL DEFAULT '';
UPDATE order_history SET note_key = 'orders.note.expired', note = '' WHERE note = 'tidak dibayar dalam 30 menit';
UPDATE order_history SET note_key = 'orders.note.autocomplete', note = '' WHERE note = 'otomatis setelah masa pengembalian';
UPDATE order_history SET note_key = 'orders.note.cardfailed', note = '' WHERE note = 'pembayaran kartu gagal dibuka';
UPDATE order_history SET note_key = 'orders.note.cardexpired', note = '' WHERE note = 'sesi pembayaran kartu berakhir';
UPDATE order_history SET note_key = 'orders.note.dispute', note = '' WHERE note = 'pembeli mengajukan sengketa kartu';
UPDATE order_history SET note_key = 'orders.note.store', note = '' WHERE note = 'penjualan di Sentra';
UPDATE order_history SET note_key = 'orders.note.handedover', note = '' WHERE note = 'diserahkan di toko';
UPDATE order_history SET note_key = 'orders.note.transfer', note = substr(note, 10) WHERE event = 'pay' AND note LIKE 'transfer %';
UPDATE order_history SET note_key = 'orders.note.card', note = substr(note, 7) WHERE event = 'pay' AND note LIKE 'kartu %';

-- +goose Down
UPDATE order_history SET note = 'tidak dibayar dalam 30 menit' WHERE note_key = 'orders.note.expired';
UPDATE order_history SET note = 'otomatis setelah masa pengembalian' WHERE note_key = 'orders.note.autocomplete';
UPDATE order_history SET note = 'pembayaran kartu gagal dibuka' WHERE note_key = 'orders.note.cardfailed';
UPDATE order_history SET note = 'sesi pembayaran kartu berakhir' WHERE note_key = 'orders.note.cardexpired';
UPDATE order_history SET note = 'pembeli mengajukan sengketa kartu' WHERE note_key = 'orders.note.dispute';
UPDATE order_history SET note = 'penjualan di Sentra' WHERE note_key = 'orders.note.store';
UPDATE order_history SET note = 'diserahkan di toko' WHERE note_key = 'orders.note.handedover';
UPDATE order_history SET note = 'transfer ' || note WHERE note_key = 'orders.note.transfer';
UPDATE order_history SET note = 'kartu ' || note WHERE note_key = 'orders.note.card';
ALTER TABLE order_history DROP COLUMN note_key;
ALTER TABLE order_groups DROP COLUMN pay_unit_id, DROP COLUMN pay_bank, DROP COLUMN pay_account_no, DROP COLUMN pay_account_name;
DROP TABLE unit_receiving_accounts;
