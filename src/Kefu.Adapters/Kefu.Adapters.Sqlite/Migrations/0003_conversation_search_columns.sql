-- Kefu SQLite schema, version 3: history search filters in SQL. The conversation's creation instant (UTC ticks),
-- agent, channel kind, rating level (0 when unrated) and problem type sit beside its JSON, so a search counts and
-- pages in the database instead of reading every conversation of the tenant. Rows stored before are filled from
-- their JSON (creation instants to the millisecond, as SQLite's date functions read them).

ALTER TABLE conversations ADD COLUMN created_ticks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN agent_id INTEGER;
ALTER TABLE conversations ADD COLUMN channel_kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN rating_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN problem_type_id INTEGER;

UPDATE conversations SET
    created_ticks = CAST(round((julianday(json_extract(conversation, '$.CreatedAt')) - 1721425.5) * 86400000.0) AS INTEGER) * 10000,
    agent_id = json_extract(conversation, '$.AgentId'),
    channel_kind = coalesce(json_extract(conversation, '$.ChannelKind'), 0),
    rating_level = coalesce(json_extract(conversation, '$.Rating.Level'), 0),
    problem_type_id = json_extract(conversation, '$.WrapUp.ProblemTypeId');

CREATE INDEX conversations_by_created ON conversations (tenant_id, created_ticks);
CREATE INDEX conversations_by_agent ON conversations (tenant_id, agent_id, position);
