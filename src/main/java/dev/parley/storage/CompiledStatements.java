package dev.parley.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.RecordMapper;
import org.jooq.Result;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Statements on the hot path (authenticating a request, appending a message), rendered to SQL
 * once at start-up instead of once per execution. A JFR profile of a warm append on
 * PostgreSQL spent 28% of the server's samples in jOOQ, half of it rendering the same five
 * statements again; the database's own time was a third of the request. A compiled statement
 * is written with jOOQ like any other — named {@code DSL.param}s where the values go — and
 * then run through Spring's {@link JdbcTemplate} on the same transaction-bound connection,
 * with jOOQ's field bindings still reading the rows back.
 */
@Component
public class CompiledStatements {

    private final DSLContext dsl;
    private final JdbcTemplate jdbc;
    private final boolean sqlite;

    CompiledStatements(DSLContext dsl, JdbcTemplate jdbc) {
        this.dsl = dsl;
        this.jdbc = jdbc;
        this.sqlite = dsl.dialect().family() == SQLDialect.SQLITE;
    }

    /**
     * Renders {@code query} once. Its values must be named parameters
     * ({@code DSL.param(name, field)}); {@code paramNames} fixes the order in which
     * {@link Statement#execute} and {@link Statement#fetchOptional} take their values. A name may
     * occur in the SQL more than once.
     *
     * @throws IllegalArgumentException when the query's parameters are not exactly these names
     */
    public Statement compile(Query query, String... paramNames) {
        String named = dsl.renderNamedParams(query);
        List<String> names = Arrays.asList(paramNames);
        StringBuilder sql = new StringBuilder(named.length());
        List<Integer> slots = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        boolean quoted = false;
        for (int i = 0; i < named.length(); i++) {
            char c = named.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            if (quoted || c != ':' || i + 1 == named.length() || !isNameChar(named.charAt(i + 1))) {
                sql.append(c);
                continue;
            }
            int end = i + 1;
            while (end < named.length() && isNameChar(named.charAt(end))) {
                end++;
            }
            String name = named.substring(i + 1, end);
            int slot = names.indexOf(name);
            if (slot < 0) {
                throw new IllegalArgumentException("parameter :" + name + " is not one of " + names + " in " + named);
            }
            slots.add(slot);
            seen.add(name);
            sql.append('?');
            i = end - 1;
        }
        if (seen.size() != names.size()) {
            throw new IllegalArgumentException("parameters " + names + " declared, " + seen + " used in " + named);
        }
        Field<?>[] fields = query instanceof ResultQuery<?> result ? result.fields() : new Field<?>[0];
        return new Statement(sql.toString(), slots.stream().mapToInt(Integer::intValue).toArray(), names.size(), fields);
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** One rendered statement; thread-safe, so a repository keeps it in a field. */
    public final class Statement {

        private final String sql;
        private final int[] slots;
        private final int arity;
        private final Field<?>[] fields;

        private Statement(String sql, int[] slots, int arity, Field<?>[] fields) {
            this.sql = sql;
            this.slots = slots;
            this.arity = arity;
            this.fields = fields;
        }

        /** Runs the statement and answers the rows it changed. */
        public int execute(Object... values) {
            checkArity(values);
            Integer count = jdbc.execute(sql, (PreparedStatement ps) -> {
                bind(ps, values);
                return ps.executeUpdate();
            });
            return count == null ? 0 : count;
        }

        /** Runs a query (or a change with {@code RETURNING}) and maps its single row, if any. */
        public <T> Optional<T> fetchOptional(RecordMapper<? super Record, T> mapper, Object... values) {
            Result<Record> rows = rows(values);
            if (rows.size() > 1) {
                throw new IllegalStateException("more than one row from " + sql);
            }
            return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(mapper.map(rows.getFirst()));
        }

        /** Runs a query and maps every row, in the order the query gives them. */
        public <T> List<T> fetch(RecordMapper<? super Record, T> mapper, Object... values) {
            return rows(values).map(mapper);
        }

        private Result<Record> rows(Object[] values) {
            checkArity(values);
            Result<Record> rows = jdbc.execute(sql, (PreparedStatement ps) -> {
                bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    return dsl.fetch(rs, fields);
                }
            });
            return rows == null ? dsl.newResult(fields) : rows;
        }

        private void checkArity(Object[] values) {
            if (values.length != arity) {
                throw new IllegalArgumentException(arity + " values expected, " + values.length + " given for " + sql);
            }
        }

        private void bind(PreparedStatement ps, Object[] values) throws SQLException {
            for (int i = 0; i < slots.length; i++) {
                set(ps, i + 1, values[slots[i]]);
            }
        }

        @Override
        public String toString() {
            return sql;
        }
    }

    /** Binds a value the way the generated fields' bindings do, for the types the schema uses. */
    private void set(PreparedStatement ps, int index, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(index, Types.NULL);
            case UUID uuid -> {
                if (sqlite) {
                    ps.setString(index, uuid.toString());
                } else {
                    ps.setObject(index, uuid);
                }
            }
            case Instant instant -> InstantBinding.set(ps, index, instant, sqlite);
            case JSONB json -> ps.setString(index, json.data());
            case JSON json -> ps.setString(index, json.data());
            case String text -> ps.setString(index, text);
            case Integer number -> ps.setInt(index, number);
            case Long number -> ps.setLong(index, number);
            case Boolean flag -> ps.setBoolean(index, flag);
            default -> ps.setObject(index, value);
        }
    }
}
