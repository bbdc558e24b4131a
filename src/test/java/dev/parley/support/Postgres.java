package dev.parley.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL the tests use: {@code PARLEY_TEST_PG_URL} (default the local server's
 * {@code test} database) as {@code PARLEY_TEST_PG_USER} (default {@code postgres}). Each
 * test context works in a schema of its own, made here and dropped after.
 */
public final class Postgres {

    public static final String URL = env("PARLEY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = env("PARLEY_TEST_PG_USER", "postgres");
    public static final String PASSWORD = env("PARLEY_TEST_PG_PASSWORD", "");

    private static volatile Boolean available;

    private Postgres() {
    }

    public static boolean available() {
        if (available == null) {
            try (Connection ignored = connect()) {
                available = true;
            } catch (SQLException e) {
                available = false;
            }
        }
        return available;
    }

    /** Under CI a missing PostgreSQL is a failure, not a reason to skip half the suite. */
    public static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    public static String createSchema() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("create schema " + schema);
        return schema;
    }

    public static void dropSchema(String schema) {
        execute("drop schema if exists " + schema + " cascade");
    }

    public static String url(String schema) {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + sql + " failed", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
