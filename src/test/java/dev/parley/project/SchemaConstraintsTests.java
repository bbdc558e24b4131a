package dev.parley.project;

import static dev.parley.db.Tables.PROJECTS;
import static dev.parley.db.Tables.PROJECT_MEMBERS;
import static dev.parley.db.Tables.USERS;
import static dev.parley.support.Api.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.UUID;

import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The rules the services check are also the database's own: these statements go around the
 * services, straight to the tables, and the database refuses them on both dialects.
 */
abstract class SchemaConstraintsTests extends ApiTest {

    @Autowired
    DSLContext dsl;

    private UUID project(Session owner, Object body) {
        return UUID.fromString(api.post("/api/v1/projects", owner, body).json().get("id").asString());
    }

    /** The failure of {@code statement}, all its causes' messages joined. */
    private static String refused(Runnable statement) {
        Throwable thrown = catchThrowable(statement::run);
        assertThat(thrown).as("the database accepted it").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    private String role(UUID projectId, UUID userId) {
        return dsl.select(PROJECT_MEMBERS.ROLE).from(PROJECT_MEMBERS)
                .where(PROJECT_MEMBERS.PROJECT_ID.eq(projectId).and(PROJECT_MEMBERS.USER_ID.eq(userId)))
                .fetchOne(PROJECT_MEMBERS.ROLE);
    }

    @Test
    void anArchivedProjectCannotBePinnedOrDefault() {
        Session owner = api.newUser("schema");
        UUID id = project(owner, object("name", "flags"));
        assertThat(refused(() -> dsl.update(PROJECTS).set(PROJECTS.ARCHIVED, true).set(PROJECTS.PINNED, true)
                .where(PROJECTS.ID.eq(id)).execute())).contains("projects_archived_flags_check");
        assertThat(refused(() -> dsl.update(PROJECTS).set(PROJECTS.ARCHIVED, true).set(PROJECTS.IS_DEFAULT, true)
                .where(PROJECTS.ID.eq(id)).execute())).contains("projects_archived_flags_check");
        assertThat(dsl.fetchValue(PROJECTS.ARCHIVED, PROJECTS.ID.eq(id))).isFalse();
        // each flag on its own is fine
        assertThat(dsl.update(PROJECTS).set(PROJECTS.ARCHIVED, true).where(PROJECTS.ID.eq(id)).execute()).isEqualTo(1);
    }

    @Test
    void aUserHasAtMostOneDefaultProject() {
        Session owner = api.newUser("schemadefault");
        UUID first = project(owner, object("name", "first", "is_default", true));
        UUID second = project(owner, object("name", "second"));
        assertThat(refused(() -> dsl.update(PROJECTS).set(PROJECTS.IS_DEFAULT, true).where(PROJECTS.ID.eq(second))
                .execute()).toLowerCase()).contains("unique");
        assertThat(dsl.fetchValue(PROJECTS.IS_DEFAULT, PROJECTS.ID.eq(first))).isTrue();
        // another user's default does not collide
        Session other = api.newUser("schemaother");
        UUID others = project(other, object("name", "theirs"));
        assertThat(dsl.update(PROJECTS).set(PROJECTS.IS_DEFAULT, true).where(PROJECTS.ID.eq(others)).execute())
                .isEqualTo(1);
    }

    @Test
    void rolesAndStatusesOutsideTheirListsAreRefused() {
        Session owner = api.newUser("schemarole");
        Session viewer = api.newUser("schemaviewer");
        UUID id = project(owner, object("name", "roles"));
        api.put("/api/v1/projects/" + id + "/members/" + viewer.userId(), owner, object("role", "viewer"));
        assertThat(refused(() -> dsl.update(PROJECT_MEMBERS).set(PROJECT_MEMBERS.ROLE, "admin")
                .where(PROJECT_MEMBERS.PROJECT_ID.eq(id).and(PROJECT_MEMBERS.USER_ID.eq(viewer.userId())))
                .execute())).contains("project_members_role_check");
        assertThat(refused(() -> dsl.insertInto(PROJECT_MEMBERS)
                .set(PROJECT_MEMBERS.PROJECT_ID, id)
                .set(PROJECT_MEMBERS.USER_ID, admin.userId())
                .set(PROJECT_MEMBERS.ROLE, "superuser")
                .set(PROJECT_MEMBERS.CREATED_AT, java.time.Instant.now())
                .execute())).contains("project_members_role_check");
        assertThat(role(id, viewer.userId())).isEqualTo("viewer");
        assertThat(refused(() -> dsl.update(USERS).set(USERS.ROLE, "root").where(USERS.ID.eq(owner.userId()))
                .execute())).contains("users_role_check");
        assertThat(refused(() -> dsl.update(PROJECTS).set(PROJECTS.STATUS, "done").where(PROJECTS.ID.eq(id))
                .execute())).contains("projects_status_check");
        assertThat(role(id, owner.userId())).isEqualTo("owner");
    }

    @Test
    void usernamesAreUniqueRegardlessOfCaseInTheDatabaseToo() {
        Session user = api.newUser("SchemaCase");
        UUID id = UUID.randomUUID();
        assertThat(refused(() -> dsl.insertInto(USERS)
                .set(USERS.ID, id)
                .set(USERS.USERNAME, user.username().toUpperCase())
                .set(USERS.PASSWORD_HASH, "x")
                .set(USERS.ROLE, "user")
                .set(USERS.CREATED_AT, java.time.Instant.now())
                .set(USERS.UPDATED_AT, java.time.Instant.now())
                .execute()).toLowerCase()).contains("unique");
    }

    @Test
    void theLastOwnerCanNeitherBeRemovedNorDemoted() {
        Session owner = api.newUser("schemaowner");
        Session second = api.newUser("schemasecond");
        UUID id = project(owner, object("name", "owned"));
        var ownerRow = PROJECT_MEMBERS.PROJECT_ID.eq(id).and(PROJECT_MEMBERS.USER_ID.eq(owner.userId()));
        assertThat(refused(() -> dsl.deleteFrom(PROJECT_MEMBERS).where(ownerRow).execute()))
                .contains("at least one owner");
        assertThat(refused(() -> dsl.update(PROJECT_MEMBERS).set(PROJECT_MEMBERS.ROLE, "editor").where(ownerRow)
                .execute())).contains("at least one owner");
        assertThat(role(id, owner.userId())).isEqualTo("owner");

        // with another owner, the first may go
        api.put("/api/v1/projects/" + id + "/members/" + second.userId(), owner, object("role", "owner"));
        assertThat(dsl.update(PROJECT_MEMBERS).set(PROJECT_MEMBERS.ROLE, "editor").where(ownerRow).execute())
                .isEqualTo(1);
        var secondRow = PROJECT_MEMBERS.PROJECT_ID.eq(id).and(PROJECT_MEMBERS.USER_ID.eq(second.userId()));
        assertThat(refused(() -> dsl.deleteFrom(PROJECT_MEMBERS).where(secondRow).execute()))
                .contains("at least one owner");
        // removing all members at once would also leave no owner
        assertThat(refused(() -> dsl.deleteFrom(PROJECT_MEMBERS).where(PROJECT_MEMBERS.PROJECT_ID.eq(id)).execute()))
                .contains("at least one owner");
    }

    @Test
    void deletingTheProjectStillTakesItsMembersWithIt() {
        Session owner = api.newUser("schemacascade");
        Session member = api.newUser("schemamember");
        UUID id = project(owner, object("name", "doomed"));
        api.put("/api/v1/projects/" + id + "/members/" + member.userId(), owner, object("role", "viewer"));
        assertThat(dsl.fetchCount(PROJECT_MEMBERS, PROJECT_MEMBERS.PROJECT_ID.eq(id))).isEqualTo(2);
        assertThat(dsl.deleteFrom(PROJECTS).where(PROJECTS.ID.eq(id)).execute()).isEqualTo(1);
        assertThat(dsl.fetchCount(PROJECT_MEMBERS, PROJECT_MEMBERS.PROJECT_ID.eq(id))).isZero();
    }

    @OnSqlite
    static class OnSqliteTest extends SchemaConstraintsTests {
    }

    @OnPostgres
    static class OnPostgresTest extends SchemaConstraintsTests {
    }
}
