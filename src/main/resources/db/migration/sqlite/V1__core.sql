-- SQLite twin of postgresql/V1__core.sql: the same tables, columns and constraint names.
-- uuid and timestamps are text (timestamps in a fixed-width UTC form, so they sort),
-- booleans are 0/1 integers and JSON is text checked with json_valid.

create table users (
    id              text         not null,
    username        text         not null,
    email           text,
    full_name       text,
    password_hash   text         not null,
    role            text         not null default 'user',
    is_active       integer      not null default 1,
    is_verified     integer      not null default 0,
    preferences     text         not null default '{}',
    token_version   integer      not null default 0,
    created_at      text         not null,
    updated_at      text         not null,
    last_login_at   text,
    constraint users_pk primary key (id),
    constraint users_role_check check (role in ('user', 'admin')),
    constraint users_preferences_json_check check (json_valid(preferences))
);
create unique index users_username_lower_uk on users (lower(username));

create table login_throttle (
    username_key    text         not null,
    failures        integer      not null default 0,
    window_start    text         not null,
    locked_until    text,
    constraint login_throttle_pk primary key (username_key)
);

create table refresh_tokens (
    id              text         not null,
    family_id       text         not null,
    user_id         text         not null,
    token_hash      text         not null,
    created_at      text         not null,
    expires_at      text         not null,
    revoked_at      text,
    constraint refresh_tokens_pk primary key (id),
    constraint refresh_tokens_hash_uk unique (token_hash),
    constraint refresh_tokens_user_fk foreign key (user_id) references users (id) on delete cascade
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);
create index refresh_tokens_user_idx on refresh_tokens (user_id);

create table revoked_access_tokens (
    jti             text         not null,
    user_id         text         not null,
    expires_at      text         not null,
    constraint revoked_access_tokens_pk primary key (jti),
    constraint revoked_access_tokens_user_fk foreign key (user_id) references users (id) on delete cascade
);
create index revoked_access_tokens_expiry_idx on revoked_access_tokens (expires_at);

create table projects (
    id                  text          not null,
    user_id             text          not null,
    name                text          not null,
    description         text,
    goals               text,
    custom_instructions text,
    default_model       text,
    status              text          not null default 'draft',
    current_version     integer       not null default 1,
    pinned              integer       not null default 0,
    archived            integer       not null default 0,
    is_default          integer       not null default 0,
    token_usage         integer       not null default 0,
    max_tokens          integer       not null default 200000,
    metadata            text          not null default '{}',
    created_at          text          not null,
    updated_at          text          not null,
    constraint projects_pk primary key (id),
    constraint projects_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint projects_status_check check (status in ('draft', 'processing', 'completed', 'error')),
    constraint projects_archived_flags_check check (not archived or (not pinned and not is_default)),
    constraint projects_token_usage_check check (token_usage >= 0),
    constraint projects_max_tokens_check check (max_tokens > 0),
    constraint projects_current_version_check check (current_version >= 1),
    constraint projects_metadata_json_check check (json_valid(metadata))
);
create index projects_user_idx on projects (user_id);
create unique index projects_one_default_per_user_uk on projects (user_id) where is_default;

create table project_members (
    project_id      text         not null,
    user_id         text         not null,
    role            text         not null,
    created_at      text         not null,
    constraint project_members_pk primary key (project_id, user_id),
    constraint project_members_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint project_members_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint project_members_role_check check (role in ('owner', 'editor', 'viewer'))
);
create index project_members_user_idx on project_members (user_id);

-- A project always keeps an owner (see the PostgreSQL twin); the message names the rule.
create trigger project_members_keep_owner_update
    before update of role on project_members
    for each row when old.role = 'owner' and new.role <> 'owner'
        and not exists (select 1 from project_members m
                        where m.project_id = old.project_id and m.role = 'owner' and m.user_id <> old.user_id)
begin
    select raise(abort, 'project_members_last_owner_check: a project must keep at least one owner');
end;
create trigger project_members_keep_owner_delete
    before delete on project_members
    for each row when old.role = 'owner'
        and exists (select 1 from projects p where p.id = old.project_id)
        and not exists (select 1 from project_members m
                        where m.project_id = old.project_id and m.role = 'owner' and m.user_id <> old.user_id)
begin
    select raise(abort, 'project_members_last_owner_check: a project must keep at least one owner');
end;

create table conversations (
    id                  text          not null,
    project_id          text,
    user_id             text          not null,
    title               text          not null,
    model_id            text,
    use_knowledge_base  integer       not null default 0,
    message_count       integer       not null default 0,
    seq_counter         integer       not null default 0,
    last_message_at     text,
    current_leaf_id     text,
    metadata            text          not null default '{}',
    deleted_at          text,
    created_at          text          not null,
    updated_at          text          not null,
    constraint conversations_pk primary key (id),
    constraint conversations_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint conversations_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint conversations_current_leaf_fk foreign key (current_leaf_id) references messages (id) on delete set null,
    constraint conversations_counts_check check (message_count >= 0 and seq_counter >= message_count),
    constraint conversations_metadata_json_check check (json_valid(metadata))
);
create index conversations_user_updated_idx on conversations (user_id, updated_at, id);
create index conversations_project_updated_idx on conversations (project_id, updated_at, id);
create index conversations_deleted_idx on conversations (deleted_at);

create table messages (
    id                  text          not null,
    conversation_id     text          not null,
    project_id          text,
    user_id             text          not null,
    parent_id           text,
    seq                 integer       not null,
    role                text          not null,
    content             text          not null,
    tool_calls          text,
    tool_call_id        text,
    name                text,
    metadata            text          not null default '{}',
    context_used        text,
    prompt_tokens       integer,
    completion_tokens   integer,
    created_at          text          not null,
    edited_at           text,
    constraint messages_pk primary key (id),
    constraint messages_conversation_seq_uk unique (conversation_id, seq),
    constraint messages_conversation_fk foreign key (conversation_id) references conversations (id) on delete cascade,
    constraint messages_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint messages_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint messages_parent_fk foreign key (parent_id) references messages (id) on delete cascade,
    constraint messages_role_check check (role in ('system', 'user', 'assistant', 'tool')),
    constraint messages_seq_check check (seq >= 1),
    constraint messages_tool_call_id_check check (role <> 'tool' or tool_call_id is not null),
    constraint messages_usage_check check (coalesce(prompt_tokens, 0) >= 0 and coalesce(completion_tokens, 0) >= 0),
    constraint messages_tool_calls_json_check check (tool_calls is null or json_valid(tool_calls)),
    constraint messages_metadata_json_check check (json_valid(metadata)),
    constraint messages_context_used_json_check check (context_used is null or json_valid(context_used))
);
create index messages_parent_idx on messages (parent_id);
create index messages_project_idx on messages (project_id, id);

create table tasks (
    id                  text          not null,
    user_id             text          not null,
    project_id          text,
    conversation_id     text,
    title               text          not null,
    description         text,
    completed           integer       not null default 0,
    created_at          text          not null,
    updated_at          text          not null,
    constraint tasks_pk primary key (id),
    constraint tasks_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint tasks_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint tasks_conversation_fk foreign key (conversation_id) references conversations (id) on delete set null
);
create index tasks_user_idx on tasks (user_id, id);
create index tasks_project_idx on tasks (project_id, id);

create table idempotency_keys (
    user_id             text          not null,
    idem_key            text          not null,
    method              text          not null,
    path                text          not null,
    request_hash        text          not null,
    status              integer,
    content_type        text,
    location            text,
    response_body       text,
    created_at          text          not null,
    constraint idempotency_keys_pk primary key (user_id, idem_key),
    constraint idempotency_keys_user_fk foreign key (user_id) references users (id) on delete cascade
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
