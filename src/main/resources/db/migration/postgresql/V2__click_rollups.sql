-- Per-day rollups, written in the same transaction as the click rows, so aggregates over whole
-- UTC days never scan the click log. A "scope" is a link id or a workspace id (the workspace's
-- own rollup: a visitor who clicked two links counts once there). Days are UTC epoch days.

-- One visitor (visitor hash) of one scope, day and traffic class. The hash's salt changes every
-- UTC day, so a visitor never spans two days and per-day unique counts add up across days.
-- `seen` lists the dimension values this visitor has clicked with, to count each value's uniques once.
-- A plain table with a unique index: new visitors append, only the small index entry goes in the middle.
CREATE TABLE visitor_days (
    scope_id       TEXT    NOT NULL,
    day            INTEGER NOT NULL,
    traffic_class  TEXT    NOT NULL,
    visitor_hash   TEXT    NOT NULL,
    clicks         BIGINT  NOT NULL,
    first_at       BIGINT  NOT NULL,
    last_at        BIGINT  NOT NULL,
    seen           TEXT    NOT NULL
);
CREATE UNIQUE INDEX visitor_days_key ON visitor_days (scope_id, day, traffic_class, visitor_hash);

-- Totals of a scope, day and traffic class.
CREATE TABLE day_totals (
    scope_id            TEXT    NOT NULL,
    day                 INTEGER NOT NULL,
    traffic_class       TEXT    NOT NULL,
    clicks              BIGINT  NOT NULL,
    visitors            BIGINT  NOT NULL,
    returning_visitors  BIGINT  NOT NULL,  -- visitors with two or more clicks
    session_ms          BIGINT  NOT NULL,  -- sum over visitors of last click minus first click
    suspicious_clicks   BIGINT  NOT NULL,  -- clicks of visitors with more than ten clicks
    PRIMARY KEY (scope_id, day, traffic_class)
);

-- Clicks and unique visitors per value of each breakdown dimension ('' stands for no value).
CREATE TABLE day_stats (
    scope_id       TEXT    NOT NULL,
    dimension      TEXT    NOT NULL,
    day            INTEGER NOT NULL,
    traffic_class  TEXT    NOT NULL,
    value          TEXT    NOT NULL,
    clicks         BIGINT  NOT NULL,
    uniques        BIGINT  NOT NULL,
    PRIMARY KEY (scope_id, dimension, day, traffic_class, value)
);

-- Clicks per UTC hour (hours since the epoch), for active hours.
CREATE TABLE hour_clicks (
    scope_id       TEXT    NOT NULL,
    hour           INTEGER NOT NULL,
    traffic_class  TEXT    NOT NULL,
    clicks         BIGINT  NOT NULL,
    PRIMARY KEY (scope_id, hour, traffic_class)
);
