package dev.parley.imports;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import dev.parley.web.ValidationException;

/**
 * Where a database source lives, as the {@code -db} sources take it: a JDBC URL, or a bare
 * path that names a SQLite file.
 *
 * @param location what the user gave
 * @param url      the JDBC URL to open
 */
record JdbcSourceLocation(String location, String url) {

    static JdbcSourceLocation of(String location) {
        return new JdbcSourceLocation(location, location.startsWith("jdbc:") ? location : "jdbc:sqlite:" + location);
    }

    /**
     * The source's stable identity: the kind and the location without its query string, where
     * credentials go ({@code ?user=...&password=...}), so no key ever holds a password.
     */
    static String sourceKey(SourceKind kind, String location) {
        int query = location.indexOf('?');
        return kind.apiValue() + ":" + (query < 0 ? location : location.substring(0, query));
    }

    /** A connection the import only reads through. */
    Connection open() throws SQLException {
        Connection db = DriverManager.getConnection(url);
        if (!url.startsWith("jdbc:sqlite:")) {
            try {
                db.setReadOnly(true); // sqlite-jdbc only takes this flag when it opens the file
            } catch (SQLException e) {
                db.close();
                throw e;
            }
        }
        return db;
    }

    /** What a failure to read the source answers: a 422 naming the location, never a 500. */
    ValidationException unreadable(String what, SQLException e) {
        return new ValidationException("location", "cannot read the " + what + ": " + e.getMessage());
    }
}
