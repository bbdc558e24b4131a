-- Parley core schema: users and auth state, projects and members, conversations,
-- the message tree, tasks, idempotency keys. Every constraint is named so that jOOQ's
-- generated code and error mapping can refer to it.

create table users (
    id              uuid         not null,
    username        varchar(100) not null,
    email           varchar(320),
    full_name       varchar(200),
    password_hash   varchar(255) not null,
    role            varchar(10)  not null default 'user',
    is_active       boolean      not null default true,
    is_verified     boolean      not null default false,
    preferences     jsonb        not null default '{}',
    token_version   integer      not null default 0,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    last_login_at   timestamp with time zone,
    constraint users_pk primary key (id),
    constraint users_role_check check (role in ('user', 'admin'))
);
-- usernames are unique regardless of case, so "Alice" cannot impersonate "alice"
/* [jooq ignore start] */
create unique index users_username_lower_uk on users (lower(username));
/* [jooq ignore stop] */

-- Failed logins are counted per username (known or not) so that a lockout reveals nothing.
create table login_throttle (
    username_key    varchar(100) not null,
    failures        integer      not null default 0,
    window_start    timestamp with time zone not null,
    locked_until    timestamp with time zone,
    constraint login_throttle_pk primary key (username_key)
);

create table refresh_tokens (
    id              uuid         not null,
    family_id       uuid         not null,
    user_id         uuid         not null,
    token_hash      varchar(64)  not null,
    created_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null,
    revoked_at      timestamp with time zone,
    constraint refresh_tokens_pk primary key (id),
    constraint refresh_tokens_hash_uk unique (token_hash),
    constraint refresh_tokens_user_fk foreign key (user_id) references users (id) on delete cascade
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);
create index refresh_tokens_user_idx on refresh_tokens (user_id);

-- Access tokens revoked before they expire (logout); rows can go once expires_at passes.
create table revoked_access_tokens (
    jti             uuid         not null,
    user_id         uuid         not null,
    expires_at      timestamp with time zone not null,
    constraint revoked_access_tokens_pk primary key (jti),
    constraint revoked_access_tokens_user_fk foreign key (user_id) references users (id) on delete cascade
);
create index revoked_access_tokens_expiry_idx on revoked_access_tokens (expires_at);

create table projects (
    id                  uuid          not null,
    user_id             uuid          not null,
    name                varchar(200)  not null,
    description         text,
    goals               text,
    custom_instructions text,
    default_model       varchar(200),
    status              varchar(20)   not null default 'draft',
    current_version     integer       not null default 1,
    pinned              boolean       not null default false,
    archived            boolean       not null default false,
    is_default          boolean       not null default false,
    token_usage         bigint        not null default 0,
    max_tokens          bigint        not null default 200000,
    metadata            jsonb         not null default '{}',
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null,
    constraint projects_pk primary key (id),
    constraint projects_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint projects_status_check check (status in ('draft', 'processing', 'completed', 'error')),
    constraint projects_archived_flags_check check (not archived or (not pinned and not is_default)),
    constraint projects_token_usage_check check (token_usage >= 0),
    constraint projects_max_tokens_check check (max_tokens > 0),
    constraint projects_current_version_check check (current_version >= 1)
);
create index projects_user_idx on projects (user_id);
/* [jooq ignore start] */
create unique index projects_one_default_per_user_uk on projects (user_id) where is_default;
/* [jooq ignore stop] */

create table project_members (
    project_id      uuid         not null,
    user_id         uuid         not null,
    role            varchar(10)  not null,
    created_at      timestamp with time zone not null,
    constraint project_members_pk primary key (project_id, user_id),
    constraint project_members_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint project_members_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint project_members_role_check check (role in ('owner', 'editor', 'viewer'))
);
create index project_members_user_idx on project_members (user_id);

/* [jooq ignore start] */
-- A project always keeps an owner: refuse to demote or remove the last one, unless the
-- project itself is going away (its cascade removes the members).
create function project_members_keep_owner() returns trigger language plpgsql as $$
begin
    if old.role = 'owner'
       and (tg_op = 'DELETE' or new.role <> 'owner')
       and exists (select 1 from projects p where p.id = old.project_id)
       and not exists (select 1 from project_members m
                       where m.project_id = old.project_id and m.role = 'owner' and m.user_id <> old.user_id) then
        raise exception 'a project must keep at least one owner' using errcode = '23514',
            constraint = 'project_members_last_owner_check';
    end if;
    return null;
end $$;
create trigger project_members_keep_owner_trg
    after update or delete on project_members
    for each row execute function project_members_keep_owner();
/* [jooq ignore stop] */

create table conversations (
    id                  uuid          not null,
    project_id          uuid,
    user_id             uuid          not null,
    title               varchar(200)  not null,
    model_id            varchar(200),
    use_knowledge_base  boolean       not null default false,
    message_count       integer       not null default 0,
    seq_counter         bigint        not null default 0,
    last_message_at     timestamp with time zone,
    current_leaf_id     uuid,
    metadata            jsonb         not null default '{}',
    deleted_at          timestamp with time zone,
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null,
    constraint conversations_pk primary key (id),
    constraint conversations_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint conversations_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint conversations_counts_check check (message_count >= 0 and seq_counter >= message_count)
);
create index conversations_user_updated_idx on conversations (user_id, updated_at, id);
create index conversations_project_updated_idx on conversations (project_id, updated_at, id);
create index conversations_deleted_idx on conversations (deleted_at);

create table messages (
    id                  uuid          not null,
    conversation_id     uuid          not null,
    project_id          uuid,
    user_id             uuid          not null,
    parent_id           uuid,
    seq                 bigint        not null,
    role                varchar(10)   not null,
    content             text          not null,
    tool_calls          jsonb,
    tool_call_id        varchar(200),
    name                varchar(200),
    metadata            jsonb         not null default '{}',
    context_used        jsonb,
    prompt_tokens       bigint,
    completion_tokens   bigint,
    created_at          timestamp with time zone not null,
    edited_at           timestamp with time zone,
    constraint messages_pk primary key (id),
    constraint messages_conversation_seq_uk unique (conversation_id, seq),
    constraint messages_conversation_fk foreign key (conversation_id) references conversations (id) on delete cascade,
    constraint messages_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint messages_user_fk foreign key (user_id) references users (id) on delete cascade,
    -- deleting a message takes its whole sub-branch with it
    constraint messages_parent_fk foreign key (parent_id) references messages (id) on delete cascade,
    constraint messages_role_check check (role in ('system', 'user', 'assistant', 'tool')),
    constraint messages_seq_check check (seq >= 1),
    constraint messages_tool_call_id_check check (role <> 'tool' or tool_call_id is not null),
    constraint messages_usage_check check (coalesce(prompt_tokens, 0) >= 0 and coalesce(completion_tokens, 0) >= 0)
);
create index messages_parent_idx on messages (parent_id);
create index messages_project_idx on messages (project_id, id);

alter table conversations add constraint conversations_current_leaf_fk
    foreign key (current_leaf_id) references messages (id) on delete set null;

create table tasks (
    id                  uuid          not null,
    user_id             uuid          not null,
    project_id          uuid,
    conversation_id     uuid,
    title               varchar(200)  not null,
    description         varchar(1000),
    completed           boolean       not null default false,
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null,
    constraint tasks_pk primary key (id),
    constraint tasks_user_fk foreign key (user_id) references users (id) on delete cascade,
    constraint tasks_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint tasks_conversation_fk foreign key (conversation_id) references conversations (id) on delete set null
);
create index tasks_user_idx on tasks (user_id, id);
create index tasks_project_idx on tasks (project_id, id);

-- The first answer to a POST carrying an Idempotency-Key, replayed to retries.
create table idempotency_keys (
    user_id             uuid          not null,
    idem_key            varchar(255)  not null,
    method              varchar(10)   not null,
    path                varchar(2000) not null,
    request_hash        varchar(64)   not null,
    status              integer,
    content_type        varchar(200),
    location            varchar(2000),
    response_body       text,
    created_at          timestamp with time zone not null,
    constraint idempotency_keys_pk primary key (user_id, idem_key),
    constraint idempotency_keys_user_fk foreign key (user_id) references users (id) on delete cascade
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
