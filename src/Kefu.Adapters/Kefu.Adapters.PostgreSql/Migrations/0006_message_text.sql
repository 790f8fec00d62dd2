-- Kefu PostgreSQL schema, version 6: history search by message text. A message's text (null when it has none) sits
-- beside its protobuf event, so a search matches it with ILIKE in the database. Messages stored before are filled from
-- their events by code right after this script (PostgreSqlSchema), in the same transaction.

ALTER TABLE messages ADD COLUMN text text;
