package dev.parley.storage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Objects;

import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.SQLDialect;
import org.jooq.conf.ParamType;
import org.jooq.impl.AbstractConverter;

/**
 * Every timestamp column as an {@link Instant}. PostgreSQL gets a real {@code timestamptz};
 * SQLite, which has no time type, gets fixed-width UTC text
 * ({@code 2026-01-02T03:04:05.678901Z}) so that comparing and ordering the text is the
 * same as comparing the instants.
 */
public final class InstantBinding implements Binding<OffsetDateTime, Instant> {

    static final DateTimeFormatter SQLITE_TEXT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private static final Converter<OffsetDateTime, Instant> CONVERTER =
            new AbstractConverter<>(OffsetDateTime.class, Instant.class) {
                @Override
                public Instant from(OffsetDateTime value) {
                    return value == null ? null : value.toInstant();
                }

                @Override
                public OffsetDateTime to(Instant value) {
                    return value == null ? null : value.atOffset(ZoneOffset.UTC);
                }
            };

    /** The text form SQLite stores, exposed for SQL that compares with stored values. */
    public static String toSqliteText(Instant value) {
        return SQLITE_TEXT.format(value);
    }

    static Instant fromSqliteText(String text) {
        if (text == null) {
            return null;
        }
        // Rows written by other tools (imports, datetime('now')) may use a space and no zone.
        if (text.length() >= 19 && text.charAt(10) == ' ') {
            String iso = text.replace(' ', 'T');
            return iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:?\\d\\d$")
                    ? OffsetDateTime.parse(iso).toInstant()
                    : LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        }
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    }

    private static boolean isSqlite(SQLDialect dialect) {
        return dialect.family() == SQLDialect.SQLITE;
    }

    @Override
    public Converter<OffsetDateTime, Instant> converter() {
        return CONVERTER;
    }

    @Override
    public void sql(BindingSQLContext<Instant> ctx) throws SQLException {
        boolean sqlite = isSqlite(ctx.dialect());
        if (ctx.render().paramType() == ParamType.INLINED) {
            Instant value = ctx.value();
            if (value == null) {
                ctx.render().sql("null");
            } else if (sqlite) {
                ctx.render().sql('\'').sql(toSqliteText(value)).sql('\'');
            } else {
                ctx.render().sql("timestamp with time zone '").sql(value.toString()).sql('\'');
            }
        } else if (sqlite) {
            ctx.render().sql(ctx.variable());
        } else {
            ctx.render().sql("cast(").sql(ctx.variable()).sql(" as timestamp with time zone)");
        }
    }

    @Override
    public void register(BindingRegisterContext<Instant> ctx) throws SQLException {
        ctx.statement().registerOutParameter(ctx.index(), isSqlite(ctx.dialect()) ? Types.VARCHAR : Types.TIMESTAMP_WITH_TIMEZONE);
    }

    @Override
    public void set(BindingSetStatementContext<Instant> ctx) throws SQLException {
        set(ctx.statement(), ctx.index(), ctx.value(), isSqlite(ctx.dialect()));
    }

    /** Binds an instant as this binding does, for statements run outside jOOQ. */
    static void set(PreparedStatement statement, int index, Instant value, boolean sqlite) throws SQLException {
        if (sqlite) {
            statement.setString(index, value == null ? null : toSqliteText(value));
        } else if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }

    @Override
    public void get(BindingGetResultSetContext<Instant> ctx) throws SQLException {
        if (isSqlite(ctx.dialect())) {
            ctx.value(fromSqliteText(ctx.resultSet().getString(ctx.index())));
        } else {
            OffsetDateTime value = ctx.resultSet().getObject(ctx.index(), OffsetDateTime.class);
            ctx.value(value == null ? null : value.toInstant());
        }
    }

    @Override
    public void get(BindingGetStatementContext<Instant> ctx) throws SQLException {
        if (isSqlite(ctx.dialect())) {
            ctx.value(fromSqliteText(ctx.statement().getString(ctx.index())));
        } else {
            OffsetDateTime value = ctx.statement().getObject(ctx.index(), OffsetDateTime.class);
            ctx.value(value == null ? null : value.toInstant());
        }
    }

    @Override
    public void set(BindingSetSQLOutputContext<Instant> ctx) throws SQLException {
        throw new SQLFeatureNotSupportedException("user-defined types are not used");
    }

    @Override
    public void get(BindingGetSQLInputContext<Instant> ctx) throws SQLException {
        Timestamp value = ctx.input().readTimestamp();
        ctx.value(value == null ? null : value.toInstant());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InstantBinding;
    }

    @Override
    public int hashCode() {
        return Objects.hash(InstantBinding.class);
    }
}
