-- Kefu PostgreSQL schema, version 1: configuration documents, time-bucketed aggregates and the outbox.
-- Instants are stored as UTC ticks (100 ns since 0001-01-01) with the writer's offset in minutes, so a value reads
-- back exactly as written (timestamptz would keep neither the offset nor the last digit of the ticks).

CREATE TABLE configuration_documents (
    tenant_id         bigint   NOT NULL,
    kind              text     NOT NULL,
    key               text     NOT NULL,
    version           bigint   NOT NULL,
    content           text     NOT NULL,
    updated_at_ticks  bigint   NOT NULL,
    updated_at_offset smallint NOT NULL,
    PRIMARY KEY (tenant_id, kind, key)
);

CREATE TABLE aggregate_applied_events (
    tenant_id bigint NOT NULL,
    consumer  text   NOT NULL,
    event_id  bigint NOT NULL,
    PRIMARY KEY (tenant_id, consumer, event_id)
);

CREATE TABLE aggregate_cells (
    tenant_id           bigint           NOT NULL,
    series              text             NOT NULL,
    granularity         smallint         NOT NULL,
    bucket_start_ticks  bigint           NOT NULL,
    dimension           text             NOT NULL,
    bucket_start_offset smallint         NOT NULL,
    cell_count          bigint           NOT NULL,
    cell_sum            double precision NOT NULL,
    cell_max            double precision NOT NULL,
    PRIMARY KEY (tenant_id, series, granularity, bucket_start_ticks, dimension)
);

CREATE TABLE outbox (
    tenant_id bigint NOT NULL,
    sequence  bigint NOT NULL,
    event     bytea  NOT NULL,
    PRIMARY KEY (tenant_id, sequence)
);
