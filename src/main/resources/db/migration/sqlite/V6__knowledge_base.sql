-- SQLite twin of postgresql/V6__knowledge_base.sql: the same tables, columns and constraint
-- names; ids and timestamps are text, booleans integers, embeddings blobs.

create table knowledge_bases (
    id              text          not null,
    project_id      text          not null,
    name            text          not null,
    description     text,
    embedding_model text          not null,
    chunk_size      integer       not null,
    chunk_overlap   integer       not null,
    is_active       integer       not null default 1,
    created_at      text          not null,
    updated_at      text          not null,
    constraint knowledge_bases_pk primary key (id),
    constraint knowledge_bases_project_uq unique (project_id),
    constraint knowledge_bases_project_fk foreign key (project_id) references projects (id) on delete cascade,
    constraint knowledge_bases_chunk_size_check check (chunk_size between 50 and 2000),
    constraint knowledge_bases_chunk_overlap_check check (chunk_overlap >= 0 and chunk_overlap < chunk_size)
);

create table knowledge_files (
    knowledge_base_id text        not null,
    file_id         text          not null,
    project_id      text          not null,
    state           text          not null,
    error           text,
    chunks          integer       not null default 0,
    added_at        text          not null,
    indexed_at      text,
    constraint knowledge_files_pk primary key (knowledge_base_id, file_id),
    constraint knowledge_files_base_fk foreign key (knowledge_base_id) references knowledge_bases (id) on delete cascade,
    constraint knowledge_files_file_fk foreign key (file_id) references files (id) on delete cascade,
    constraint knowledge_files_state_check check (state in ('pending', 'indexing', 'indexed', 'failed'))
);
create index knowledge_files_file_idx on knowledge_files (file_id);

create table knowledge_chunks (
    id              text          not null,
    knowledge_base_id text        not null,
    project_id      text          not null,
    file_id         text          not null,
    ordinal         integer       not null,
    text            text          not null,
    start_offset    integer       not null,
    end_offset      integer       not null,
    token_count     integer       not null,
    embedding_model text          not null,
    embedding       blob          not null,
    created_at      text          not null,
    constraint knowledge_chunks_pk primary key (id),
    constraint knowledge_chunks_file_fk foreign key (knowledge_base_id, file_id)
        references knowledge_files (knowledge_base_id, file_id) on delete cascade,
    constraint knowledge_chunks_ordinal_uq unique (knowledge_base_id, file_id, ordinal),
    constraint knowledge_chunks_offsets_check check (start_offset >= 0 and end_offset >= start_offset)
);
create index knowledge_chunks_project_idx on knowledge_chunks (project_id, id);

create table knowledge_jobs (
    id              text          not null,
    knowledge_base_id text        not null,
    project_id      text          not null,
    file_id         text          not null,
    state           text          not null,
    attempts        integer       not null default 0,
    error           text,
    lease_until     text,
    created_at      text          not null,
    updated_at      text          not null,
    constraint knowledge_jobs_pk primary key (id),
    constraint knowledge_jobs_file_fk foreign key (knowledge_base_id, file_id)
        references knowledge_files (knowledge_base_id, file_id) on delete cascade,
    constraint knowledge_jobs_state_check check (state in ('pending', 'running', 'done', 'failed')),
    constraint knowledge_jobs_attempts_check check (attempts >= 0)
);
create index knowledge_jobs_state_idx on knowledge_jobs (state, created_at);
create index knowledge_jobs_file_idx on knowledge_jobs (knowledge_base_id, file_id);
