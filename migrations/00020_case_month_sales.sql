-- +goose Up
-- A PM's sales, refunds and completed orders per Asia/Jakarta month, kept
-- by the database as events are written (case_events is append-only, so
-- an insert trigger is all it takes). A Balai's dashboard reads its live
-- month here, one small row per PM found by unit, where reading the
-- month's events cost a heap page per sale (the current month's rows are
-- too new to be read from an index alone).
CREATE TABLE case_month_sales (
    month       date NOT NULL, -- the first day of the month in Asia/Jakarta
    unit_id     uuid NOT NULL REFERENCES units (id), -- the case's, which never changes (below)
    case_id     uuid NOT NULL REFERENCES cases (id),
    sales_idr   bigint NOT NULL,
    refunds_idr bigint NOT NULL, -- negative, as the refund events carry it
    orders      int NOT NULL,
    PRIMARY KEY (month, unit_id, case_id)
);

-- One upsert per statement, rows in key order: two orders completing for
-- the same makers lock their rows in the same order (no deadlock), and a
-- bulk insert of a million events is one grouped write.
-- +goose StatementBegin
CREATE FUNCTION case_month_sales_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_month_sales AS m (month, unit_id, case_id, sales_idr, refunds_idr, orders)
    SELECT date_trunc('month', e.occurred_at AT TIME ZONE 'Asia/Jakarta')::date, c.unit_id, e.case_id,
        coalesce(sum(e.attributed_idr) FILTER (WHERE e.type = 'sale_completed'), 0),
        coalesce(sum(e.attributed_idr) FILTER (WHERE e.type = 'refund'), 0),
        count(*) FILTER (WHERE e.type = 'sale_completed')
    FROM new_events e JOIN cases c ON c.id = e.case_id
    WHERE e.type IN ('sale_completed', 'refund')
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (month, unit_id, case_id) DO UPDATE SET sales_idr = m.sales_idr + excluded.sales_idr,
        refunds_idr = m.refunds_idr + excluded.refunds_idr, orders = m.orders + excluded.orders;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER case_events_month_sales AFTER INSERT ON case_events
    REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION case_month_sales_add();

-- A case stays in the unit that opened it: its sums above (and every
-- closed month's unit sums) are filed under that unit.
-- +goose StatementBegin
CREATE FUNCTION cases_unit_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a case never moves to another unit' USING ERRCODE = 'check_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER cases_unit_fixed BEFORE UPDATE OF unit_id ON cases
    FOR EACH ROW WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id) EXECUTE FUNCTION cases_unit_fixed();

-- The events written before this migration.
INSERT INTO case_month_sales (month, unit_id, case_id, sales_idr, refunds_idr, orders)
SELECT date_trunc('month', e.occurred_at AT TIME ZONE 'Asia/Jakarta')::date, c.unit_id, e.case_id,
    coalesce(sum(e.attributed_idr) FILTER (WHERE e.type = 'sale_completed'), 0),
    coalesce(sum(e.attributed_idr) FILTER (WHERE e.type = 'refund'), 0),
    count(*) FILTER (WHERE e.type = 'sale_completed')
FROM case_events e JOIN cases c ON c.id = e.case_id
WHERE e.type IN ('sale_completed', 'refund')
GROUP BY 1, 2, 3;

-- +goose Down
DROP TRIGGER cases_unit_fixed ON cases;
DROP FUNCTION cases_unit_fixed();
DROP TRIGGER case_events_month_sales ON case_events;
DROP FUNCTION case_month_sales_add();
DROP TABLE case_month_sales;
