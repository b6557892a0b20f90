-- +goose Up
-- A unit's closed months, summed once at the close: the unit dashboard reads
-- a few rows a month instead of every PM's snapshot. Only PM whose latest
-- aggregate_reporting consent was given when the month was closed are in
-- the sums; consents recorded after the close (consents.id above the
-- month's watermark) are applied when the sums are read, so a withdrawal
-- still counts at once. A case's unit, cluster and pillar never change.
CREATE TABLE unit_outcome_marks (
    month             date NOT NULL,
    version           int NOT NULL,
    consent_watermark bigint NOT NULL, -- the last consents.id the sums saw
    PRIMARY KEY (month, version),
    FOREIGN KEY (month, version) REFERENCES outcome_months (month, version)
);

CREATE TABLE unit_outcome_sums (
    month                 date NOT NULL,
    version               int NOT NULL,
    unit_id               uuid NOT NULL REFERENCES units (id),
    cluster               text NOT NULL,
    pillar                text NOT NULL,
    pm                    bigint NOT NULL,
    attributed_sales_idr  bigint NOT NULL,
    net_income_idr        bigint NOT NULL,
    orders_completed      bigint NOT NULL,
    pm_at_min_wage        bigint NOT NULL,
    pm_above_poverty_line bigint NOT NULL,
    PRIMARY KEY (unit_id, month, version, cluster, pillar),
    FOREIGN KEY (month, version) REFERENCES unit_outcome_marks (month, version)
);

CREATE TRIGGER unit_outcome_marks_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON unit_outcome_marks
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER unit_outcome_sums_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON unit_outcome_sums
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Which consents came after a close: read by id, for one purpose. And each
-- case's latest consent for a purpose, for a whole unit in one ordered scan.
CREATE INDEX consents_purpose_id_idx ON consents (purpose, id);
CREATE INDEX consents_latest_idx ON consents (purpose, case_id, at DESC, id DESC) INCLUDE (action);

-- Months closed before this migration: summed now, with today's consents.
-- The lock (cases.lockConsents) waits for consents being recorded, so the
-- watermark misses none.
SELECT pg_advisory_xact_lock(hashtext('consents'));
INSERT INTO unit_outcome_marks (month, version, consent_watermark)
SELECT m.month, max(m.version), (SELECT coalesce(max(id), 0) FROM consents)
FROM outcome_months m GROUP BY m.month;
INSERT INTO unit_outcome_sums (month, version, unit_id, cluster, pillar, pm, attributed_sales_idr, net_income_idr,
    orders_completed, pm_at_min_wage, pm_above_poverty_line)
SELECT s.month, s.version, c.unit_id, c.cluster, c.pillar, count(*), sum(s.attributed_sales_idr), sum(s.net_income_idr),
    sum(s.orders_completed), count(*) FILTER (WHERE s.min_wage_bits & 1 = 1), count(*) FILTER (WHERE s.poverty_line_bits & 1 = 1)
FROM unit_outcome_marks k
JOIN outcome_snapshots s ON s.month = k.month AND s.version = k.version
JOIN cases c ON c.id = s.case_id
WHERE (SELECT r.action FROM consents r WHERE r.case_id = c.id AND r.purpose = 'aggregate_reporting'
       ORDER BY r.at DESC, r.id DESC LIMIT 1) = 'given'
GROUP BY 1, 2, 3, 4, 5;

-- +goose Down
DROP INDEX consents_latest_idx;
DROP INDEX consents_purpose_id_idx;
DROP TABLE unit_outcome_sums;
DROP TABLE unit_outcome_marks;
