-- The depth of a message on its branch (1 for a message without a parent). It is fixed at
-- append time from the parent's depth, so the context engine and ?last=N know how many older
-- messages a bounded walk from the leaf left out without walking them.
alter table messages add column depth integer not null default 1
    constraint messages_depth_check check (depth >= 1);

-- SQLite runs the ON DELETE CASCADE of messages_parent_fk as nested trigger programs, at most
-- 1000 levels deep: deleting the first message of a long branch in one cascade fails with
-- "too many levels of trigger recursion". When a whole conversation or project goes, its
-- messages are first detached from each other so that every one is deleted one level deep.
-- (Deleting a sub-branch through the API flattens it first for the same reason.)
create trigger conversations_detach_messages
    before delete on conversations
    for each row
begin
    update messages set parent_id = null where conversation_id = old.id and parent_id is not null;
end;
create trigger projects_detach_messages
    before delete on projects
    for each row
begin
    update messages set parent_id = null where project_id = old.id and parent_id is not null;
end;
