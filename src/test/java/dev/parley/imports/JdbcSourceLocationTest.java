package dev.parley.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;

import dev.parley.web.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The location rules the three database sources share. */
class JdbcSourceLocationTest {

    @TempDir
    Path temp;

    @Test
    void theSourceKeyNeverHoldsCredentials() {
        assertThat(JdbcSourceLocation.sourceKey(SourceKind.TODO_DB,
                "jdbc:postgresql://127.0.0.1:5432/legacy?user=app&password=s3cret"))
                .isEqualTo("todo-db:jdbc:postgresql://127.0.0.1:5432/legacy");
        assertThat(JdbcSourceLocation.sourceKey(SourceKind.PROJECTS_DB, "/data/app.db"))
                .isEqualTo("projects-db:/data/app.db");
    }

    @Test
    void aBarePathIsASqliteFile() throws Exception {
        Path file = temp.resolve("legacy.db");
        JdbcSourceLocation location = JdbcSourceLocation.of(file.toString());
        assertThat(location.url()).isEqualTo("jdbc:sqlite:" + file);
        assertThat(JdbcSourceLocation.of("jdbc:sqlite:" + file).url()).isEqualTo("jdbc:sqlite:" + file);
        try (Connection db = location.open()) {
            assertThat(db.isValid(1)).isTrue();
        }
    }

    @Test
    void aDatabaseThatCannotBeReadIsAProblemNamingTheLocation() {
        JdbcSourceLocation location = JdbcSourceLocation.of("jdbc:nosuchdriver://nowhere");
        assertThatThrownBy(location::open).isInstanceOf(java.sql.SQLException.class)
                .satisfies(e -> assertThat(location.unreadable("threads database", (java.sql.SQLException) e))
                        .isInstanceOf(ValidationException.class)
                        .hasMessageStartingWith("location: cannot read the threads database: "));
    }
}
