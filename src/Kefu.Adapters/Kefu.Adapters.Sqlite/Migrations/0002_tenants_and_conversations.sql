-- Kefu SQLite schema, version 2: what a tenant's worker commits (tenant, settings, directory, visitors,
-- conversations, messages) and the organisation's tenant template. Model records are stored as JSON; the columns
-- beside them are what queries filter and order by. Messages are stored as their protobuf message events.

CREATE TABLE tenants (
    tenant_id     INTEGER PRIMARY KEY,
    tenant        TEXT,
    settings      TEXT,
    last_sequence INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tenant_template (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    template TEXT NOT NULL
);

CREATE TABLE directory_entities (
    tenant_id INTEGER NOT NULL,
    id        INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    entity    TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;

CREATE TABLE visitors (
    tenant_id INTEGER NOT NULL,
    id        INTEGER NOT NULL,
    visitor   TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;

-- position: the order in which conversations were first committed (history is newest first by it).
CREATE TABLE conversations (
    tenant_id    INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    visitor_id   INTEGER NOT NULL,
    closed       INTEGER NOT NULL,
    conversation TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;

CREATE INDEX conversations_by_position ON conversations (tenant_id, position);
CREATE INDEX conversations_open ON conversations (tenant_id, closed, position);
CREATE INDEX conversations_by_visitor ON conversations (tenant_id, visitor_id, id);

CREATE TABLE messages (
    tenant_id       INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    event           BLOB    NOT NULL,
    PRIMARY KEY (tenant_id, conversation_id, message_id)
) WITHOUT ROWID;

CREATE TABLE recalled_messages (
    tenant_id  INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, message_id)
) WITHOUT ROWID;
