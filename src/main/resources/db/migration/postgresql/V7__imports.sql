-- Imports: every run of an importer is a batch; every row it created remembers where it came
-- from, so that a re-run of the same source skips what is already there and a rollback
-- removes exactly the rows of one batch.
create table import_batches (
    id              uuid          not null,
    source_kind     varchar(20)   not null,
    -- which source: the kind plus its normalised location (a path or a JDBC URL without credentials)
    source_key      varchar(2000) not null,
    options         jsonb         not null default '{}',
    status          varchar(20)   not null,
    report          jsonb         not null default '{}',
    created_by      uuid,
    started_at      timestamp with time zone not null,
    finished_at     timestamp with time zone,
    constraint import_batches_pk primary key (id),
    constraint import_batches_created_by_fk foreign key (created_by) references users (id) on delete set null,
    constraint import_batches_status_check check (status in ('running', 'completed', 'failed', 'rolled_back'))
);
create index import_batches_source_idx on import_batches (source_key, started_at);

-- One row per Parley row an import created. The mapping is keyed by the source, not by the
-- batch, so that the same source row is never imported twice (until its batch is rolled back).
create table import_rows (
    batch_id        uuid          not null,
    source_key      varchar(2000) not null,
    entity_kind     varchar(20)   not null,
    source_id       varchar(500)  not null,
    parley_id       uuid          not null,
    created         boolean       not null,
    constraint import_rows_pk primary key (source_key, entity_kind, source_id),
    constraint import_rows_batch_fk foreign key (batch_id) references import_batches (id) on delete cascade,
    constraint import_rows_kind_check check (entity_kind in
        ('user', 'project', 'member', 'conversation', 'message', 'file', 'document', 'artifact', 'log', 'task'))
);
create index import_rows_batch_idx on import_rows (batch_id, entity_kind);
create index import_rows_parley_idx on import_rows (parley_id);

-- A file whose bytes stay where they were (an S3 object of an imported app): the record
-- points at them and Parley holds no bytes of its own for it.
alter table files add column external_location varchar(2000);
