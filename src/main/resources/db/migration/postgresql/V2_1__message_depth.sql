-- The depth of a message on its branch (1 for a message without a parent). It is fixed at
-- append time from the parent's depth, so the context engine and ?last=N know how many older
-- messages a bounded walk from the leaf left out without walking them.
alter table messages add column depth bigint not null default 1;
alter table messages add constraint messages_depth_check check (depth >= 1);

-- PostgreSQL's cascade down messages_parent_fk is not limited in depth, so unlike the SQLite
-- twin this script needs no trigger to purge conversations with long branches.
