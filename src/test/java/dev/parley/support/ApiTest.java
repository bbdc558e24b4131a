package dev.parley.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base of the HTTP tests: a real server on a random port, a client, and an admin account.
 * Subclass it twice, once {@link OnSqlite} and once {@link OnPostgres}; the contexts (one
 * per database) are shared by every test class, and each test makes its own users and rows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

    /** The first user of an instance becomes admin: each context registers this one first. */
    private static final Map<Integer, Api.Session> ADMINS = new ConcurrentHashMap<>();

    @LocalServerPort
    protected int port;

    protected Api api;
    protected Api.Session admin;

    @BeforeEach
    void connect() {
        api = new Api(port);
        admin = ADMINS.computeIfAbsent(port, p -> {
            Api.Session session = api.register("admin", "admin password 1");
            return session;
        });
        // tokens expire; a fresh login keeps long runs working
        admin = api.login("admin", "admin password 1");
    }
}
