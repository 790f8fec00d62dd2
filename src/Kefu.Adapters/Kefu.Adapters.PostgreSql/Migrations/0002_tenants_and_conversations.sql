-- Kefu PostgreSQL schema, version 2: what a tenant's worker commits (tenant, settings, directory, visitors,
-- conversations, messages) and the organisation's tenant template. Model records are stored as JSON text (read back
-- exactly as written); the columns beside them are what queries filter and order by. Messages are stored as their
-- protobuf message events.

CREATE TABLE tenants (
    tenant_id     bigint PRIMARY KEY,
    tenant        text,
    settings      text,
    last_sequence bigint NOT NULL DEFAULT 0
);

CREATE TABLE tenant_template (
    id       integer PRIMARY KEY CHECK (id = 1),
    template text NOT NULL
);

CREATE TABLE directory_entities (
    tenant_id bigint NOT NULL,
    id        bigint NOT NULL,
    kind      text   NOT NULL,
    entity    text   NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE visitors (
    tenant_id bigint NOT NULL,
    id        bigint NOT NULL,
    visitor   text   NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- position: the order in which conversations were first committed (history is newest first by it). One sequence for
-- every tenant: a tenant's commits come from its single worker, so its positions grow in commit order.
CREATE SEQUENCE conversation_position;

CREATE TABLE conversations (
    tenant_id    bigint  NOT NULL,
    id           bigint  NOT NULL,
    position     bigint  NOT NULL DEFAULT nextval('conversation_position'),
    visitor_id   bigint  NOT NULL,
    closed       boolean NOT NULL,
    conversation text    NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX conversations_by_position ON conversations (tenant_id, position);
CREATE INDEX conversations_open ON conversations (tenant_id, closed, position);
CREATE INDEX conversations_by_visitor ON conversations (tenant_id, visitor_id, id);

CREATE TABLE messages (
    tenant_id       bigint NOT NULL,
    conversation_id bigint NOT NULL,
    message_id      bigint NOT NULL,
    event           bytea  NOT NULL,
    PRIMARY KEY (tenant_id, conversation_id, message_id)
);

CREATE INDEX messages_by_id ON messages (tenant_id, message_id);

CREATE TABLE recalled_messages (
    tenant_id  bigint NOT NULL,
    message_id bigint NOT NULL,
    PRIMARY KEY (tenant_id, message_id)
);
