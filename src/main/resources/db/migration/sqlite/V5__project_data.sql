-- SQLite twin of postgresql/V5__project_data.sql: the same tables, columns and constraint
-- names; ids and timestamps are text, JSON is text checked with json_valid.

create table blobs (
    sha256          text         not null,
    size_bytes      integer      not null,
    created_at      text         not null,
    constraint blobs_pk primary key (sha256),
    constraint blobs_sha256_check check (length(sha256) = 64),
    constraint blobs_size_check check (size_bytes >= 0)
);

create table files (
    id              text          not null,
    project_id      text,
    user_id         text          not null,
    filename        text          not null,
    purpose         text          not null,
    media_type      text          not null,
    size_bytes      integer       not null,
    sha256          text          not null,
    version         integer       not null default 1,
    order_index     integer       not null default 0,
    metadata        text          not null default '{}',
    created_at      text          not null,
    constraint files_pk primary key (id),
    constraint files_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint files_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint files_blob_fk foreign key (sha256) references blobs (sha256) on delete restrict,
    constraint files_purpose_check check (purpose in ('input', 'output', 'log', 'processed', 'knowledge', 'attachment')),
    constraint files_version_check check (version >= 1),
    constraint files_size_check check (size_bytes >= 0),
    constraint files_metadata_json_check check (json_valid(metadata))
);
create index files_project_version_idx on files (project_id, version, id);
create index files_project_purpose_version_idx on files (project_id, purpose, version, id);
create index files_user_idx on files (user_id, id);
create index files_sha256_idx on files (sha256);

create table conversation_documents (
    conversation_id text          not null,
    file_id         text          not null,
    user_id         text          not null,
    created_at      text          not null,
    constraint conversation_documents_pk primary key (conversation_id, file_id),
    constraint conversation_documents_conversation_fk foreign key (conversation_id) references conversations (id) on delete cascade,
    constraint conversation_documents_file_fk foreign key (file_id) references files (id) on delete cascade,
    constraint conversation_documents_user_fk foreign key (user_id) references users (id) on delete cascade
);
create index conversation_documents_file_idx on conversation_documents (file_id);

create table artifacts (
    id              text          not null,
    project_id      text          not null,
    user_id         text          not null,
    conversation_id text,
    message_id      text,
    name            text          not null,
    kind            text          not null,
    version         integer       not null,
    metadata        text          not null default '{}',
    created_at      text          not null,
    updated_at      text          not null,
    constraint artifacts_pk primary key (id),
    constraint artifacts_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint artifacts_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint artifacts_conversation_fk foreign key (conversation_id) references conversations (id) on delete set null,
    constraint artifacts_message_fk foreign key (message_id) references messages (id) on delete set null,
    constraint artifacts_kind_check check (kind in ('code', 'document', 'image', 'audio', 'video')),
    constraint artifacts_version_check check (version >= 1),
    constraint artifacts_metadata_json_check check (json_valid(metadata))
);
create index artifacts_project_idx on artifacts (project_id, updated_at, id);

create table artifact_versions (
    artifact_id     text          not null,
    version         integer       not null,
    project_id      text          not null,
    user_id         text          not null,
    media_type      text          not null,
    content         text          not null,
    size_bytes      integer       not null,
    created_at      text          not null,
    constraint artifact_versions_pk primary key (artifact_id, version),
    constraint artifact_versions_artifact_fk foreign key (artifact_id) references artifacts (id) on delete cascade,
    constraint artifact_versions_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint artifact_versions_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint artifact_versions_version_check check (version >= 1),
    constraint artifact_versions_size_check check (size_bytes >= 0)
);

create table processing_logs (
    id              text          not null,
    project_id      text          not null,
    user_id         text          not null,
    version         integer       not null,
    log_level       text          not null,
    summary         text          not null,
    file_id         text,
    metadata        text          not null default '{}',
    created_at      text          not null,
    constraint processing_logs_pk primary key (id),
    constraint processing_logs_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint processing_logs_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint processing_logs_file_fk foreign key (file_id) references files (id) on delete set null,
    constraint processing_logs_level_check check (log_level in ('debug', 'info', 'warning', 'error')),
    constraint processing_logs_version_check check (version >= 1),
    constraint processing_logs_metadata_json_check check (json_valid(metadata))
);
create index processing_logs_project_idx on processing_logs (project_id, id);
create index processing_logs_project_version_idx on processing_logs (project_id, version, id);
create index processing_logs_created_idx on processing_logs (created_at);
create index processing_logs_file_idx on processing_logs (file_id);
