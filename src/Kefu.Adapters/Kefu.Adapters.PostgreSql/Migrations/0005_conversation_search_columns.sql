-- Kefu PostgreSQL schema, version 5: history search filters in SQL. The conversation's creation instant (UTC ticks),
-- agent, channel kind, rating level (0 when unrated) and problem type sit beside its JSON, so a search counts and
-- pages in the database instead of reading every conversation of the tenant. Rows stored before are filled from
-- their JSON (creation instants to the microsecond, as timestamptz holds them).

ALTER TABLE conversations
    ADD COLUMN created_ticks   bigint  NOT NULL DEFAULT 0,
    ADD COLUMN agent_id        bigint,
    ADD COLUMN channel_kind    integer NOT NULL DEFAULT 0,
    ADD COLUMN rating_level    integer NOT NULL DEFAULT 0,
    ADD COLUMN problem_type_id bigint;

UPDATE conversations SET
    created_ticks = round(extract(epoch FROM (conversation::jsonb ->> 'CreatedAt')::timestamptz) * 1000000)::bigint * 10 + 621355968000000000,
    agent_id = (conversation::jsonb ->> 'AgentId')::bigint,
    channel_kind = coalesce((conversation::jsonb ->> 'ChannelKind')::integer, 0),
    rating_level = coalesce((conversation::jsonb -> 'Rating' ->> 'Level')::integer, 0),
    problem_type_id = (conversation::jsonb -> 'WrapUp' ->> 'ProblemTypeId')::bigint;

CREATE INDEX conversations_by_created ON conversations (tenant_id, created_ticks);
CREATE INDEX conversations_by_agent ON conversations (tenant_id, agent_id, position);
