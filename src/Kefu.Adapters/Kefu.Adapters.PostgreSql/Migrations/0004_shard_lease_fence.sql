-- Kefu PostgreSQL schema, version 4: the fence of a multi-node deployment. A node's tenant commit first calls
-- kefu_fence with the lease it holds; the call takes a share lock on the lease row (so a take-over waits until the
-- commit is over) and raises SQLSTATE KF001 unless the lease is still current by the server's clock: the
-- transaction then rolls back and nothing of the batch is written.

CREATE FUNCTION kefu_fence(p_shard integer, p_owner text, p_epoch bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM shard_lease
        WHERE shard = p_shard AND owner = p_owner AND epoch = p_epoch AND expires_at > clock_timestamp()
        FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'shard % is not leased to % at epoch %', p_shard, p_owner, p_epoch USING ERRCODE = 'KF001';
    END IF;
END;
$$;
