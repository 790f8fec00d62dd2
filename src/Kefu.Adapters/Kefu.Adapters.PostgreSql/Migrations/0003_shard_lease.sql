-- Kefu PostgreSQL schema, version 3: the shard leases of a multi-node deployment. A node writes the tenants of a
-- shard only while it holds the shard's lease: owner is the node, epoch grows by one at every change of owner (a
-- fencing token), expires_at is when the lease lapses unless renewed.

CREATE TABLE shard_lease (
    shard      integer     PRIMARY KEY,
    owner      text        NOT NULL,
    epoch      bigint      NOT NULL,
    expires_at timestamptz NOT NULL
);
