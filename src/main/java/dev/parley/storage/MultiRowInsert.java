package dev.parley.storage;

import java.util.List;

import org.jooq.DSLContext;
import org.jooq.Table;
import org.jooq.TableRecord;

/**
 * Inserts many rows of a table with multi-row {@code INSERT}s small enough to stay bound.
 * jOOQ renders a statement with more bind values than the dialect takes (999 on SQLite) with
 * every value inlined as a literal instead; a knowledge-base file of 1,000 chunks became a
 * 3.5 MB statement that SQLite refused (SQLITE_TOOBIG), and inlining costs CPU besides.
 */
public final class MultiRowInsert {

    /** The fewest bind values a statement may hold on the databases Parley runs on (SQLite's, as jOOQ counts). */
    static final int MAX_BIND_VALUES = 999;

    private MultiRowInsert() {
    }

    /** Inserts the records, every column of the table, in as few bound statements as fit. */
    public static <R extends TableRecord<R>> void insert(DSLContext dsl, Table<R> table, List<R> records) {
        int rows = rowsPerStatement(table.fields().length);
        for (int from = 0; from < records.size(); from += rows) {
            dsl.insertInto(table, table.fields())
                    .valuesOfRecords(records.subList(from, Math.min(records.size(), from + rows)))
                    .execute();
        }
    }

    static int rowsPerStatement(int columns) {
        return Math.max(1, MAX_BIND_VALUES / columns);
    }
}
