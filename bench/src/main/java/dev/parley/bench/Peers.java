package dev.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepository;
import org.springframework.ai.chat.memory.repository.jdbc.JdbcChatMemoryRepositoryDialect;
import org.springframework.ai.chat.memory.repository.jdbc.PostgresChatMemoryRepositoryDialect;
import org.springframework.ai.chat.memory.repository.jdbc.SqliteChatMemoryRepositoryDialect;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.sqlite.SQLiteConfig;

/**
 * What Parley is measured against, on the same database in the same run: the database's own
 * single-row insert limit over JDBC, {@code pgbench}, and Spring AI's JDBC chat memory.
 */
final class Peers implements AutoCloseable {

    private final boolean sqlite;
    private final String url;
    private final String user;
    private final String schema;
    private final HikariDataSource dataSource;
    private boolean autovacuumOff;

    Peers(String url, String user, String schema) {
        this.url = url;
        this.user = user;
        this.schema = schema;
        this.sqlite = url.startsWith("jdbc:sqlite:");
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench");
        config.setJdbcUrl(url);
        // connections open only as threads need them (a shared PostgreSQL has a connection limit)
        config.setMaximumPoolSize(40);
        config.setMinimumIdle(0);
        // a PostgreSQL shared with test suites may be at its connection limit for a while: wait, don't fail
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(120_000);
        if (sqlite) {
            sqliteSettings().toProperties().forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        } else {
            config.setUsername(user);
        }
        this.dataSource = new HikariDataSource(config);
    }

    /** The settings Parley's own SQLite connections use (WAL, synchronous FULL, immediate transactions). */
    private static SQLiteConfig sqliteSettings() {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(30_000);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return sqlite;
    }

    DataSource dataSource() {
        return dataSource;
    }

    boolean sqlite() {
        return sqlite;
    }

    /** Product and version, e.g. {@code PostgreSQL 15.8} or {@code SQLite 3.50.4}. */
    String databaseVersion() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            var meta = c.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        }
    }

    /**
     * Refreshes the planner's statistics after the data set is built. A production database's
     * autovacuum would have done it; where autovacuum is off (as on the machine the README's
     * figures come from) the planner would otherwise plan for the nearly empty tables of the
     * start. Answers a note for the report when autovacuum is off, else null.
     */
    String analyze() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.execute("analyze");
            if (sqlite) {
                return null;
            }
            var rows = statement.executeQuery("show autovacuum");
            autovacuumOff = rows.next() && rows.getString(1).equals("off");
            return autovacuumOff
                    ? "PostgreSQL runs with autovacuum off here: the client ran ANALYZE after building the data set and "
                    + "VACUUMs conversations (whose row every append updates) before each scenario, as autovacuum would."
                    : null;
        }
    }

    /**
     * Where autovacuum is off, clears the dead versions of the conversation rows the appends
     * updated. Each append changes its conversation's indexed {@code updated_at}, so without
     * vacuum the versions pile up in the indexes, and a scenario that appends to one
     * conversation thousands of times (the 10,000-message length) reads more of them than one
     * that spreads its appends: a machine without autovacuum, not Parley, made it slower.
     */
    void vacuumUpdatedRows() throws SQLException {
        if (!autovacuumOff) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.execute("vacuum conversations");
        }
    }

    /**
     * The id of the run that built the data set in this database: its admin, the instance's
     * first user, is {@code b<run>_admin} (see {@link Dataset#build}).
     */
    String builtRunId() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement(
                     "select username from users where role = 'admin' and username like 'b%\\_admin' escape '\\'")) {
            var rows = select.executeQuery();
            if (!rows.next()) {
                throw new IllegalStateException("no benchmark data set in this database (no b<run>_admin user)");
            }
            String admin = rows.getString(1);
            return admin.substring(1, admin.length() - "_admin".length());
        }
    }

    // ---------------------------------------------------------------- the database's limit

    private static final String SCRATCH = "bench_insert_limit";

    /** A scratch table with the columns, primary key and unique key of {@code messages}, no foreign keys. */
    void createScratch() throws SQLException {
        String ddl = sqlite
                ? "create table if not exists " + SCRATCH + " (id text not null primary key, conversation_id text not null, "
                + "project_id text, user_id text not null, parent_id text, seq integer not null, role text not null, "
                + "content text not null, tool_calls text, tool_call_id text, name text, metadata text not null default '{}', "
                + "context_used text, prompt_tokens integer, completion_tokens integer, created_at text not null, edited_at text, "
                + "unique (conversation_id, seq))"
                : "create table if not exists " + SCRATCH + " (id uuid not null primary key, conversation_id uuid not null, "
                + "project_id uuid, user_id uuid not null, parent_id uuid, seq bigint not null, role varchar(10) not null, "
                + "content text not null, tool_calls jsonb, tool_call_id varchar(200), name varchar(200), "
                + "metadata jsonb not null default '{}', context_used jsonb, prompt_tokens bigint, completion_tokens bigint, "
                + "created_at timestamp with time zone not null, edited_at timestamp with time zone, "
                + "unique (conversation_id, seq))";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(ddl);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private static final DateTimeFormatter SQLITE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    /** SQLite has one writer: like Parley's transaction manager, writers queue on a fair lock in the JVM. */
    private final ReentrantLock sqliteWriters = new ReentrantLock(true);

    /**
     * The same single-row INSERT + COMMIT an append performs, from {@code threads} threads,
     * each with its own connection and its own conversation id.
     */
    Measure.Result insertLimit(int threads, double warmup, double seconds) throws Exception {
        createScratch();
        List<Connection> connections = new ArrayList<>();
        List<PreparedStatement> statements = new ArrayList<>();
        String[] conversations = new String[threads];
        String userId = UUID.randomUUID().toString();
        try {
            for (int t = 0; t < threads; t++) {
                Connection c = dataSource.getConnection();
                connections.add(c);
                statements.add(c.prepareStatement("insert into " + SCRATCH
                        + " (id, conversation_id, project_id, user_id, parent_id, seq, role, content, metadata, created_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, " + (sqlite ? "?" : "cast(? as jsonb)") + ", ?)"));
                conversations[t] = UUID.randomUUID().toString();
            }
            return Measure.timed("db insert+commit (JDBC)", threads, warmup, seconds, (client, i) -> {
                PreparedStatement insert = statements.get(client);
                Connection c = connections.get(client);
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                if (sqlite) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, conversations[client]);
                    insert.setString(3, userId);
                    insert.setString(4, userId);
                    insert.setString(5, null);
                    insert.setString(10, SQLITE_TIME.format(now));
                } else {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, UUID.fromString(conversations[client]));
                    insert.setObject(3, UUID.fromString(userId));
                    insert.setObject(4, UUID.fromString(userId));
                    insert.setObject(5, null, java.sql.Types.OTHER);
                    insert.setTimestamp(10, Timestamp.from(now));
                }
                insert.setLong(6, i + 1);
                insert.setString(7, i % 2 == 0 ? "user" : "assistant");
                insert.setString(8, Dataset.text());
                insert.setString(9, "{}");
                // the transaction as Spring's transaction manager runs it for Parley: begin (auto-commit
                // off), insert, commit, auto-commit back on
                if (sqlite) {
                    sqliteWriters.lock();
                }
                try {
                    c.setAutoCommit(false);
                    try {
                        insert.executeUpdate();
                        c.commit();
                    } catch (SQLException e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                } finally {
                    if (sqlite) {
                        sqliteWriters.unlock();
                    }
                }
            });
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    // ---------------------------------------------------------------- pgbench

    /** pgbench's figures for the equivalent insert, or null with the reason when it cannot run. */
    Map<String, Object> pgbench(int clients, int seconds) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", clients);
        Path script = Files.createTempFile("parley-pgbench", ".sql");
        try {
            createScratch();
            dataSource.getHikariPoolMXBean().softEvictConnections(); // give the JDBC run's connections back first
            Files.writeString(script, """
                    \\set len random(20, 4000)
                    insert into bench_insert_limit (id, conversation_id, user_id, seq, role, content, metadata, created_at) \
                    values (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 1, 'user', \
                    repeat('lorem ipsum ', :len / 12), '{}', now());
                    """, StandardCharsets.UTF_8);
            String database = url.replaceFirst("^jdbc:postgresql://[^/]+/", "").replaceFirst("\\?.*$", "");
            Matcher hostPort = Pattern.compile("^jdbc:postgresql://([^:/]+)(?::(\\d+))?/").matcher(url);
            if (!hostPort.find()) {
                m.put("skipped", "cannot read host and port from " + url);
                return m;
            }
            List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared", "-h", hostPort.group(1),
                    "-p", hostPort.group(2) == null ? "5432" : hostPort.group(2), "-U", user,
                    "-c", Integer.toString(clients), "-j", Integer.toString(clients), "-T", Integer.toString(seconds),
                    "-f", script.toString(), database));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("PGOPTIONS", "-c search_path=" + schema);
            Process process = builder.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
                m.put("skipped", "pgbench failed: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
                return m;
            }
            Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
            Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(output);
            Matcher count = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(output);
            m.put("ops_per_second", tps.find() ? Measure.round(Double.parseDouble(tps.group(1))) : null);
            m.put("mean_ms", latency.find() ? Measure.round(Double.parseDouble(latency.group(1))) : null);
            m.put("ops", count.find() ? Long.parseLong(count.group(1)) : null);
            m.put("seconds", seconds);
            System.out.printf("  %-34s %3d clients %9.1f ops/s  mean %7.2f ms%n", "pgbench insert (autocommit)", clients,
                    m.get("ops_per_second"), m.get("mean_ms"));
            return m;
        } catch (IOException e) {
            m.put("skipped", "pgbench not runnable: " + e.getMessage());
            return m;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    // ---------------------------------------------------------------- Spring AI

    /** Spring AI's JDBC chat memory as its reference documentation sets it up, on our database. */
    final class SpringAi {
        final JdbcChatMemoryRepository repository;
        final ChatMemory memory;

        SpringAi() throws Exception {
            JdbcChatMemoryRepositoryDialect dialect = sqlite ? new SqliteChatMemoryRepositoryDialect()
                    : new PostgresChatMemoryRepositoryDialect();
            runSchema(sqlite ? "schema-sqlite.sql" : "schema-postgresql.sql");
            JdbcTemplate jdbcTemplate = new JdbcTemplate(dataSource);
            repository = JdbcChatMemoryRepository.builder().jdbcTemplate(jdbcTemplate).dialect(dialect).build();
            // The documented default window is 20 messages; a memory that keeps the whole
            // conversation (as Parley does) needs a window at least as large as the conversation.
            memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(Integer.MAX_VALUE).build();
        }

        /** A conversation of {@code length} messages, written in one {@code saveAll}. */
        String conversation(int length) {
            String id = UUID.randomUUID().toString();
            List<Message> messages = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                messages.add(i % 2 == 0 ? new UserMessage(Dataset.text()) : new AssistantMessage(Dataset.text()));
            }
            repository.saveAll(id, messages);
            return id;
        }

        void append(String conversationId) {
            memory.add(conversationId, new UserMessage(Dataset.text()));
        }

        private void runSchema(String file) throws Exception {
            String sql;
            try (InputStream in = JdbcChatMemoryRepository.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("Spring AI's " + file + " is not on the class path");
                }
                sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                for (String statement : sql.split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
