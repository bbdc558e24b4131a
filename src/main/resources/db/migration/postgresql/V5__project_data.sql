-- Project data: content-addressed blobs and the file records that reference them,
-- documents attached to conversations, artifacts with their versions, processing logs.

-- One row per distinct content stored in the blob store. A file record references its
-- bytes through this row, so "is this blob still used?" is a foreign-key question.
-- The row is inserted in the same transaction as the first record that uses it, and only
-- after the bytes are durable at their content address.
create table blobs (
    sha256          varchar(64)  not null,
    size_bytes      bigint       not null,
    created_at      timestamp with time zone not null,
    constraint blobs_pk primary key (sha256),
    constraint blobs_sha256_check check (length(sha256) = 64),
    constraint blobs_size_check check (size_bytes >= 0)
);

create table files (
    id              uuid          not null,
    project_id      uuid,
    user_id         uuid          not null,
    filename        varchar(255)  not null,
    purpose         varchar(20)   not null,
    media_type      varchar(255)  not null,
    size_bytes      bigint        not null,
    sha256          varchar(64)   not null,
    version         integer       not null default 1,
    order_index     integer       not null default 0,
    metadata        jsonb         not null default '{}',
    created_at      timestamp with time zone not null,
    constraint files_pk primary key (id),
    constraint files_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint files_user_fk foreign key (user_id) references users (id) on delete cascade,
    -- a blob row cannot go while a record still points at it
    constraint files_blob_fk foreign key (sha256) references blobs (sha256) on delete restrict,
    constraint files_purpose_check check (purpose in ('input', 'output', 'log', 'processed', 'knowledge', 'attachment')),
    constraint files_version_check check (version >= 1),
    constraint files_size_check check (size_bytes >= 0)
);
create index files_project_version_idx on files (project_id, version, id);
create index files_project_purpose_version_idx on files (project_id, purpose, version, id);
create index files_user_idx on files (user_id, id);
create index files_sha256_idx on files (sha256);

-- Files attached to conversations (many-to-many).
create table conversation_documents (
    conversation_id uuid          not null,
    file_id         uuid          not null,
    user_id         uuid          not null,
    created_at      timestamp with time zone not null,
    constraint conversation_documents_pk primary key (conversation_id, file_id),
    constraint conversation_documents_conversation_fk foreign key (conversation_id) references conversations (id) on delete cascade,
    constraint conversation_documents_file_fk foreign key (file_id) references files (id) on delete cascade,
    constraint conversation_documents_user_fk foreign key (user_id) references users (id) on delete cascade
);
create index conversation_documents_file_idx on conversation_documents (file_id);

-- The current state of an artifact; its content lives in artifact_versions, one row per
-- version including the current one, so that content is stored once.
create table artifacts (
    id              uuid          not null,
    project_id      uuid          not null,
    user_id         uuid          not null,
    conversation_id uuid,
    message_id      uuid,
    name            varchar(200)  not null,
    kind            varchar(10)   not null,
    version         integer       not null,
    metadata        jsonb         not null default '{}',
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint artifacts_pk primary key (id),
    constraint artifacts_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint artifacts_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint artifacts_conversation_fk foreign key (conversation_id) references conversations (id) on delete set null,
    constraint artifacts_message_fk foreign key (message_id) references messages (id) on delete set null,
    constraint artifacts_kind_check check (kind in ('code', 'document', 'image', 'audio', 'video')),
    constraint artifacts_version_check check (version >= 1)
);
create index artifacts_project_idx on artifacts (project_id, updated_at, id);

create table artifact_versions (
    artifact_id     uuid          not null,
    version         integer       not null,
    project_id      uuid          not null,
    user_id         uuid          not null,
    media_type      varchar(255)  not null,
    content         text          not null,
    size_bytes      bigint        not null,
    created_at      timestamp with time zone not null,
    constraint artifact_versions_pk primary key (artifact_id, version),
    constraint artifact_versions_artifact_fk foreign key (artifact_id) references artifacts (id) on delete cascade,
    constraint artifact_versions_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint artifact_versions_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint artifact_versions_version_check check (version >= 1),
    constraint artifact_versions_size_check check (size_bytes >= 0)
);

-- the level column is log_level: "level" is a pseudo-column to SQL parsers such as jOOQ's
create table processing_logs (
    id              uuid          not null,
    project_id      uuid          not null,
    user_id         uuid          not null,
    version         integer       not null,
    log_level       varchar(10)   not null,
    summary         text          not null,
    file_id         uuid,
    metadata        jsonb         not null default '{}',
    created_at      timestamp with time zone not null,
    constraint processing_logs_pk primary key (id),
    constraint processing_logs_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint processing_logs_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint processing_logs_file_fk foreign key (file_id) references files (id) on delete set null,
    constraint processing_logs_level_check check (log_level in ('debug', 'info', 'warning', 'error')),
    constraint processing_logs_version_check check (version >= 1)
);
create index processing_logs_project_idx on processing_logs (project_id, id);
create index processing_logs_project_version_idx on processing_logs (project_id, version, id);
create index processing_logs_created_idx on processing_logs (created_at);
create index processing_logs_file_idx on processing_logs (file_id);
