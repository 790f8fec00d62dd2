-- Kefu SQLite schema, version 1: configuration documents, time-bucketed aggregates and the outbox.
-- Instants are stored as UTC ticks with the writer's offset in minutes, so a value reads back exactly as written.

CREATE TABLE configuration_documents (
    tenant_id         INTEGER NOT NULL,
    kind              TEXT    NOT NULL,
    key               TEXT    NOT NULL,
    version           INTEGER NOT NULL,
    content           TEXT    NOT NULL,
    updated_at_ticks  INTEGER NOT NULL,
    updated_at_offset INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, key)
) WITHOUT ROWID;

CREATE TABLE aggregate_applied_events (
    tenant_id INTEGER NOT NULL,
    consumer  TEXT    NOT NULL,
    event_id  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, consumer, event_id)
) WITHOUT ROWID;

CREATE TABLE aggregate_cells (
    tenant_id           INTEGER NOT NULL,
    series              TEXT    NOT NULL,
    granularity         INTEGER NOT NULL,
    bucket_start_ticks  INTEGER NOT NULL,
    dimension           TEXT    NOT NULL,
    bucket_start_offset INTEGER NOT NULL,
    count               INTEGER NOT NULL,
    sum                 REAL    NOT NULL,
    max                 REAL    NOT NULL,
    PRIMARY KEY (tenant_id, series, granularity, bucket_start_ticks, dimension)
) WITHOUT ROWID;

CREATE TABLE outbox (
    tenant_id INTEGER NOT NULL,
    sequence  INTEGER NOT NULL,
    event     BLOB    NOT NULL,
    PRIMARY KEY (tenant_id, sequence)
) WITHOUT ROWID;
