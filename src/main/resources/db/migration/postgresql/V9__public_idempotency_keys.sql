-- Idempotency keys for every POST, the public ones (register, login, refresh) included: a key
-- belongs to a scope, the user's for a signed-in caller and the request's own fingerprint for
-- an anonymous one, so user_id may now be empty.
alter table idempotency_keys add column scope varchar(100);
update idempotency_keys set scope = 'user:' || cast(user_id as varchar(36));
alter table idempotency_keys alter column scope set not null;
alter table idempotency_keys drop constraint idempotency_keys_pk;
alter table idempotency_keys alter column user_id drop not null;
alter table idempotency_keys add constraint idempotency_keys_pk primary key (scope, idem_key);
-- Answers are sealed from now on; the only kept answers that held tokens in clear, those of
-- password changes, go (a retry of one of them runs again and meets the changed password).
delete from idempotency_keys where path = '/api/v1/me/password';
