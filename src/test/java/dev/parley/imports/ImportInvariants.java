package dev.parley.imports;

import static dev.parley.db.Tables.IMPORT_ROWS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;

/**
 * The invariants the reliability suite checks, over the whole database, and depth over the
 * imported messages (other tests' sub-branch deletes leave detached messages at their depth).
 */
final class ImportInvariants {

    private ImportInvariants() {
    }

    static void check(DSLContext db) {
        if (db.dialect().family() == SQLDialect.SQLITE) {
            assertThat(db.fetch("pragma foreign_key_check")).as("foreign keys").isEmpty();
        }
        assertThat(db.fetch("""
                select c.id from conversations c
                where c.message_count <> (select count(*) from messages m where m.conversation_id = c.id)
                   or c.seq_counter < (select coalesce(max(m.seq), 0) from messages m where m.conversation_id = c.id)""")
                .map(Record::intoMap)).as("conversation counters").isEmpty();
        assertThat(db.fetch("""
                select m.id from messages m join messages p on p.id = m.parent_id
                where (m.depth <> p.depth + 1 or p.conversation_id <> m.conversation_id)
                  and m.id in (select r.parley_id from import_rows r where r.entity_kind = 'message')""")
                .map(Record::intoMap)).as("depths and parents").isEmpty();
        assertThat(db.fetch("select m.id from messages m where m.parent_id is null and m.depth <> 1 "
                + "and m.id in (select r.parley_id from import_rows r where r.entity_kind = 'message')")
                .map(Record::intoMap)).as("root depths").isEmpty();
        assertThat(db.fetch("""
                select p.id from projects p
                where p.token_usage <> (select coalesce(sum(coalesce(m.prompt_tokens, 0) + coalesce(m.completion_tokens, 0)), 0)
                                        from messages m where m.project_id = p.id)
                  and p.id in (select m.project_id from messages m
                               join import_rows r on r.parley_id = m.id and r.entity_kind = 'message')""")
                .map(Record::intoMap)).as("project token usage").isEmpty();
    }

    /** seq runs 1..n without a gap in a conversation that had no deletes. */
    static void gapFree(DSLContext db, Object conversationKey) {
        List<Map<String, Object>> rows = db.fetch("select seq from messages where conversation_id = ? order by seq",
                conversationKey).map(Record::intoMap);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(((Number) rows.get(i).get("seq")).longValue()).isEqualTo(i + 1L);
        }
    }

    /** The Parley id a batch gave one source row: source ids such as "1" repeat between tests' sources. */
    static UUID parleyId(DSLContext db, UUID batch, String kind, String sourceId) {
        return db.select(IMPORT_ROWS.PARLEY_ID).from(IMPORT_ROWS)
                .where(IMPORT_ROWS.ENTITY_KIND.eq(kind).and(IMPORT_ROWS.SOURCE_ID.eq(sourceId))
                        .and(IMPORT_ROWS.BATCH_ID.eq(batch)))
                .fetchSingle(IMPORT_ROWS.PARLEY_ID);
    }
}
