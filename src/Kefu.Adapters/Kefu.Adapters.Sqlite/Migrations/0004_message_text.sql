-- Kefu SQLite schema, version 4: history search by message text. A message's text (null when it has none) sits beside
-- its protobuf event, so a search matches it with LIKE in the database. Messages stored before are filled from their
-- events by code right after this script (SqliteSchema), in the same transaction.

ALTER TABLE messages ADD COLUMN text TEXT;
