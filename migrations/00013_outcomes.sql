-- +goose Up
-- Reference data for the indicators of economic independence (DOMAIN.md).
-- Figures are data, never constants in code, and they are versioned: a
-- correction is a new row and the latest row for a key wins, so a closed
-- month can always say which row it used.

-- Minimum wages: UMP per province (regency_code ''), UMK per regency, per year.
CREATE TABLE minimum_wages (
    id            bigserial PRIMARY KEY,
    year          int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    regency_code  text NOT NULL DEFAULT '' CHECK (regency_code = '' OR (regency_code ~ '^[0-9]{4}$' AND left(regency_code, 2) = province_code)),
    amount_idr    bigint NOT NULL CHECK (amount_idr > 0),
    source        text NOT NULL CHECK (source <> ''),
    recorded_by   uuid REFERENCES users (id),
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX minimum_wages_key_idx ON minimum_wages (province_code, regency_code, year DESC, id DESC);

-- BPS poverty lines per capita per month, per province and period (YYYY-MM,
-- the March or September survey); province '00' is Indonesia.
CREATE TABLE poverty_lines (
    id            bigserial PRIMARY KEY,
    period        text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    amount_idr    bigint NOT NULL CHECK (amount_idr > 0),
    source        text NOT NULL CHECK (source <> ''),
    recorded_by   uuid REFERENCES users (id),
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX poverty_lines_key_idx ON poverty_lines (province_code, period DESC, id DESC);

CREATE TRIGGER minimum_wages_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON minimum_wages
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER poverty_lines_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON poverty_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The figures of DOMAIN.md "Reference data to seed". Re-check against BPS and
-- the provincial decrees before production; corrections are new rows.
INSERT INTO poverty_lines (period, province_code, amount_idr, source) VALUES
    ('2025-03', '00', 609160, 'BPS, Profil Kemiskinan Maret 2025 (as reported in the press)'),
    ('2025-09', '00', 641443, 'BPS, Profil Kemiskinan September 2025 (as reported in the press)'),
    ('2025-03', '31', 852768, 'BPS, Profil Kemiskinan Maret 2025 (as reported in the press)'),
    ('2025-03', '32', 547752, 'BPS, Profil Kemiskinan Maret 2025 (as reported in the press)'),
    ('2025-03', '33', 537812, 'BPS, Profil Kemiskinan Maret 2025 (as reported in the press)'),
    ('2025-09', '33', 570870, 'BPS, Profil Kemiskinan September 2025 (as reported in the press)'),
    ('2025-03', '12', 666546, 'BPS, Profil Kemiskinan Maret 2025 (as reported in the press)'),
    ('2025-09', '12', 718220, 'BPS, Profil Kemiskinan September 2025 (as reported in the press)'),
    ('2025-03', '73', 477966, 'BPS, Profil Kemiskinan Maret 2025 (as reported in the press)'),
    ('2024-09', '35', 547751, 'BPS, Profil Kemiskinan September 2024 (as reported in the press)');

INSERT INTO minimum_wages (year, province_code, regency_code, amount_idr, source) VALUES
    (2025, '31', '', 5396760, 'UMP 2025, Permenaker 16/2024'),
    (2025, '32', '', 2191232, 'UMP 2025, Permenaker 16/2024'),
    (2025, '33', '', 2169348, 'UMP 2025, Permenaker 16/2024'),
    (2025, '35', '', 2305984, 'UMP 2025, Permenaker 16/2024'),
    (2025, '34', '', 2264080, 'UMP 2025, Permenaker 16/2024'),
    (2025, '36', '', 2905119, 'UMP 2025, Permenaker 16/2024'),
    (2025, '12', '', 2992599, 'UMP 2025, Permenaker 16/2024'),
    (2025, '73', '', 3657527, 'UMP 2025, Permenaker 16/2024'),
    (2025, '63', '', 3496194, 'UMP 2025, Permenaker 16/2024'),
    (2026, '31', '', 5729876, 'UMP 2026, PP 49/2025'),
    (2026, '32', '', 2317601, 'UMP 2026, PP 49/2025'),
    (2026, '73', '', 3921088, 'UMP 2026, PP 49/2025'),
    (2025, '32', '3275', 5690725, 'UMK Kota Bekasi 2025, Permenaker 16/2024');

-- Staff entries on a case. Notes are sealed with DATA_KEY like other
-- sensitive fields. All append-only: a correction is a new row.

-- An ATENSI service given (the seven components of DOMAIN.md).
CREATE TABLE case_services (
    id           bigserial PRIMARY KEY,
    case_id      uuid NOT NULL REFERENCES cases (id),
    component    text NOT NULL CHECK (component IN ('decent_living', 'social_care', 'family_support', 'therapy',
                                                    'vocational_entrepreneurship', 'social_assistance', 'accessibility')),
    service_date date NOT NULL,
    note_enc     bytea,
    recorded_by  uuid NOT NULL REFERENCES users (id),
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX case_services_case_idx ON case_services (case_id, service_date DESC);

-- Other income of a PM for a month (first day of the month). The latest row
-- for (case, month, kind) is the month's figure of that kind: a correction
-- is a new row, never an edit.
CREATE TABLE case_incomes (
    id          bigserial PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    amount_idr  bigint NOT NULL CHECK (amount_idr BETWEEN 0 AND 1000000000000),
    kind        text NOT NULL CHECK (kind IN ('wage', 'business', 'bansos', 'other')),
    verified    boolean NOT NULL,
    note_enc    bytea,
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX case_incomes_key_idx ON case_incomes (case_id, month, kind, id DESC);
CREATE INDEX case_incomes_month_idx ON case_incomes (month);

-- Household size over time: from the month given until a later row.
-- Before any row, the beneficiary's household_size holds.
CREATE TABLE case_household_sizes (
    id          bigserial PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    from_month  date NOT NULL CHECK (extract(day FROM from_month) = 1),
    size        int NOT NULL CHECK (size BETWEEN 1 AND 30),
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX case_household_sizes_case_idx ON case_household_sizes (case_id, from_month DESC, id DESC);

CREATE TRIGGER case_services_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON case_services
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_incomes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON case_incomes
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_household_sizes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON case_household_sizes
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The month close reads case events by type and time, across all cases.
CREATE INDEX case_events_type_time_idx ON case_events (type, occurred_at);
-- Repeat buyers: has this keyed buyer hash bought from this PM before?
CREATE INDEX case_events_buyer_idx ON case_events (case_id, (data->>'buyer_hash'), occurred_at)
    WHERE type = 'sale_completed';

-- A closed month: one row per closing run. Version 1 is the monthly close,
-- a recomputation adds version 2, 3...; nothing is ever edited.
CREATE TABLE outcome_months (
    month               date NOT NULL CHECK (extract(day FROM month) = 1),
    version             int NOT NULL CHECK (version >= 1),
    computation_version int NOT NULL,
    cases               int NOT NULL,
    closed_at           timestamptz NOT NULL,
    reason              text NOT NULL DEFAULT '',
    PRIMARY KEY (month, version)
);

-- The locked indicators of one PM for one closed month (DOMAIN.md "Economic
-- independence"), with the reference rows they used.
CREATE TABLE outcome_snapshots (
    case_id                   uuid NOT NULL REFERENCES cases (id),
    month                     date NOT NULL,
    version                   int NOT NULL,
    computation_version       int NOT NULL,
    attributed_sales_idr      bigint NOT NULL,
    refunds_idr               bigint NOT NULL, -- negative or zero
    net_income_idr            bigint NOT NULL, -- NMI accrued: earned in the month
    net_income_verified_idr   bigint NOT NULL, -- NMI verified: paid out in the month
    other_income_idr          bigint NOT NULL, -- wage, business, other (bansos excluded)
    other_income_verified_idr bigint NOT NULL,
    bansos_idr                bigint NOT NULL,
    independent_income_idr    bigint NOT NULL,
    household_size            int NOT NULL,
    minimum_wage_id           bigint REFERENCES minimum_wages (id),
    minimum_wage_idr          bigint,
    poverty_line_id           bigint REFERENCES poverty_lines (id),
    poverty_line_idr          bigint,
    min_wage_ratio            numeric(12, 4),
    poverty_line_ratio        numeric(12, 4),
    min_wage_streak           int NOT NULL,
    poverty_line_streak       int NOT NULL,
    -- Bit i set: the threshold was met i months before this one (bit 0 =
    -- this month), so months above in the last 6 or 12 need no other row.
    min_wage_bits             int NOT NULL,
    poverty_line_bits         int NOT NULL,
    orders_completed          int NOT NULL,
    unique_buyers             int NOT NULL,
    repeat_buyers             int NOT NULL,
    assisted_orders           int NOT NULL,
    on_time_orders            int NOT NULL,
    shipped_orders            int NOT NULL,
    last_sale_at              timestamptz,
    no_sale_since             timestamptz, -- the last sale a no_sale_60d was raised for
    no_sale_due               boolean NOT NULL,
    graduation_due            boolean NOT NULL,
    closed_at                 timestamptz NOT NULL,
    PRIMARY KEY (case_id, month, version)
);
CREATE INDEX outcome_snapshots_month_idx ON outcome_snapshots (month, version);
CREATE TRIGGER outcome_snapshots_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON outcome_snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER outcome_months_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON outcome_months
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- +goose Down
DROP TABLE outcome_snapshots;
DROP TABLE outcome_months;
DROP INDEX case_events_buyer_idx;
DROP INDEX case_events_type_time_idx;
DROP TABLE case_household_sizes;
DROP TABLE case_incomes;
DROP TABLE case_services;
DROP TABLE poverty_lines;
DROP TABLE minimum_wages;
