-- Idempotency keys for every POST, the public ones (register, login, refresh) included: a key
-- belongs to a scope, the user's for a signed-in caller and the request's own fingerprint for
-- an anonymous one, so user_id may now be empty. SQLite cannot change a primary key in place:
-- the table is rebuilt (no other table refers to it).
create table idempotency_keys_scoped (
    scope               text          not null,
    user_id             text,
    idem_key            text          not null,
    method              text          not null,
    path                text          not null,
    request_hash        text          not null,
    status              integer,
    content_type        text,
    location            text,
    response_body       text,
    created_at          text          not null,
    constraint idempotency_keys_pk primary key (scope, idem_key),
    constraint idempotency_keys_user_fk foreign key (user_id) references users (id) on delete cascade
);
insert into idempotency_keys_scoped (scope, user_id, idem_key, method, path, request_hash, status, content_type,
                                     location, response_body, created_at)
select 'user:' || user_id, user_id, idem_key, method, path, request_hash, status, content_type, location,
       response_body, created_at
from idempotency_keys;
drop table idempotency_keys;
alter table idempotency_keys_scoped rename to idempotency_keys;
create index idempotency_keys_created_idx on idempotency_keys (created_at);
-- Answers are sealed from now on; the only kept answers that held tokens in clear, those of
-- password changes, go (a retry of one of them runs again and meets the changed password).
delete from idempotency_keys where path = '/api/v1/me/password';
