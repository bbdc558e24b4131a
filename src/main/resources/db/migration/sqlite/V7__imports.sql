-- Imports: every run of an importer is a batch; every row it created remembers where it came
-- from, so that a re-run of the same source skips what is already there and a rollback
-- removes exactly the rows of one batch.
create table import_batches (
    id              text          not null,
    source_kind     varchar(20)   not null,
    source_key      varchar(2000) not null,
    options         text          not null default '{}',
    status          varchar(20)   not null,
    report          text          not null default '{}',
    created_by      text,
    started_at      text          not null,
    finished_at     text,
    constraint import_batches_pk primary key (id),
    constraint import_batches_created_by_fk foreign key (created_by) references users (id) on delete set null,
    constraint import_batches_options_json_check check (json_valid(options)),
    constraint import_batches_report_json_check check (json_valid(report)),
    constraint import_batches_status_check check (status in ('running', 'completed', 'failed', 'rolled_back'))
);
create index import_batches_source_idx on import_batches (source_key, started_at);

create table import_rows (
    batch_id        text          not null,
    source_key      varchar(2000) not null,
    entity_kind     varchar(20)   not null,
    source_id       varchar(500)  not null,
    parley_id       text          not null,
    created         integer       not null,
    constraint import_rows_pk primary key (source_key, entity_kind, source_id),
    constraint import_rows_batch_fk foreign key (batch_id) references import_batches (id) on delete cascade,
    constraint import_rows_kind_check check (entity_kind in
        ('user', 'project', 'member', 'conversation', 'message', 'file', 'document', 'artifact', 'log', 'task'))
);
create index import_rows_batch_idx on import_rows (batch_id, entity_kind);
create index import_rows_parley_idx on import_rows (parley_id);

alter table files add column external_location varchar(2000);
