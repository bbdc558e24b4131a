package dev.parley.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import org.junit.jupiter.api.Test;

abstract class ProjectApiTests extends ApiTest {

    @Test
    void aCreatedProjectIsVisibleToItsOwnerOnly() {
        Session owner = api.newUser("owner");
        Session stranger = api.newUser("stranger");
        Api.Response created = api.post("/api/v1/projects", owner, Api.object("name", "CAD bracket"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/projects/" + id);

        assertThat(api.get("/api/v1/projects/" + id, owner).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + id, stranger).code()).isEqualTo("not_found");
    }

    @OnSqlite
    static class OnSqliteTest extends ProjectApiTests {
    }

    @OnPostgres
    static class OnPostgresTest extends ProjectApiTests {
    }
}
