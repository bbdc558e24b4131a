-- A user's personal conversations (no project), newest first: the first half of every
-- conversation list. conversations_user_updated_idx also holds the user's conversations in
-- projects, which the list must read past; on project_id alone PostgreSQL walked every
-- personal conversation of every user.
create index conversations_personal_updated_idx on conversations (user_id, updated_at, id) where project_id is null;
