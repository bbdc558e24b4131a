package dev.parley.storage;

import static dev.parley.db.Tables.CONVERSATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/** Rendering only: running the statements is covered by the append and auth API tests on both databases. */
class CompiledStatementsTest {

    private final DSLContext postgres = DSL.using(SQLDialect.POSTGRES);
    private final CompiledStatements statements = new CompiledStatements(postgres, null);

    @Test
    void everyOccurrenceOfANamedParameterBecomesAPlaceholder() {
        var update = statements.compile(postgres.update(CONVERSATIONS)
                .set(CONVERSATIONS.LAST_MESSAGE_AT, DSL.param("now", CONVERSATIONS.LAST_MESSAGE_AT))
                .set(CONVERSATIONS.UPDATED_AT, DSL.param("now", CONVERSATIONS.UPDATED_AT))
                .where(CONVERSATIONS.ID.eq(DSL.param("id", CONVERSATIONS.ID))), "id", "now");

        assertThat(update.toString()).doesNotContain(":now", ":id");
        assertThat(update.toString().chars().filter(c -> c == '?').count()).isEqualTo(3);
    }

    @Test
    void aColonInsideAStringLiteralIsNotAParameter() {
        var select = statements.compile(postgres.select(DSL.inline("a:b"))
                .from(CONVERSATIONS).where(CONVERSATIONS.ID.eq(DSL.param("id", CONVERSATIONS.ID))), "id");

        assertThat(select.toString()).contains("'a:b'").containsOnlyOnce("?");
    }

    @Test
    void theDeclaredNamesMustBeExactlyTheQuerysParameters() {
        assertThatThrownBy(() -> statements.compile(postgres.selectFrom(CONVERSATIONS)
                .where(CONVERSATIONS.ID.eq(DSL.param("id", CONVERSATIONS.ID))), "conversation"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":id");
        assertThatThrownBy(() -> statements.compile(postgres.selectFrom(CONVERSATIONS)
                .where(CONVERSATIONS.ID.eq(DSL.param("id", CONVERSATIONS.ID))), "id", "unused"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unused");
    }

    @Test
    void valuesMustMatchTheDeclaredNames() {
        var find = statements.compile(postgres.selectFrom(CONVERSATIONS)
                .where(CONVERSATIONS.ID.eq(DSL.param("id", CONVERSATIONS.ID))), "id");

        assertThatThrownBy(() -> find.execute()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 values expected, 0 given");
    }
}
