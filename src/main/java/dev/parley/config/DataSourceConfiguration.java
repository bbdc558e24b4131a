package dev.parley.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteConfig;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.util.StringUtils;

/**
 * One data source for both databases. Without {@code spring.datasource.url} Parley opens an
 * SQLite file in the data directory, tuned for a server: WAL so readers never wait for the
 * writer, {@code synchronous=FULL} so an acknowledged write survives power loss, foreign
 * keys on, and {@code BEGIN IMMEDIATE} transactions so that two pooled connections never
 * deadlock upgrading a read lock to a write lock.
 */
@Configuration(proxyBeanMethods = false)
class DataSourceConfiguration {

    static final String SQLITE_FILE = "parley.db";

    @Bean
    DataSource dataSource(DataSourceProperties properties, ParleyProperties parley) {
        String url = properties.getUrl();
        if (!StringUtils.hasText(url)) {
            url = "jdbc:sqlite:" + createDataDir(parley.dataDir()).resolve(SQLITE_FILE);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("parley");
        config.setJdbcUrl(url);
        if (url.startsWith("jdbc:sqlite:")) {
            sqliteFileDirectory(url);
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            sqlite.enforceForeignKeys(true);
            sqlite.setBusyTimeout(30_000);
            sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            sqlite.toProperties().forEach((key, value) -> config.addDataSourceProperty((String) key, value));
            // SQLite has one writer at a time; a few connections serve concurrent readers.
            config.setMaximumPoolSize(8);
        } else {
            config.setUsername(properties.getUsername());
            config.setPassword(properties.getPassword());
            config.setMaximumPoolSize(Math.max(1, parley.databasePoolSize()));
            // An outage must fail requests quickly rather than hang them on the pool.
            config.setConnectionTimeout(5_000);
        }
        return new HikariDataSource(config);
    }

    /** On SQLite, write transactions queue fairly in the JVM (see {@link SqliteTransactionManager}). */
    @Bean
    JdbcTransactionManager transactionManager(DataSource dataSource) {
        boolean sqlite = dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl().startsWith("jdbc:sqlite:");
        return sqlite ? new SqliteTransactionManager(dataSource) : new JdbcTransactionManager(dataSource);
    }

    private static Path createDataDir(Path dataDir) {
        try {
            return Files.createDirectories(dataDir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
    }

    /** SQLite does not create the folder of its file, so a configured path gets one too. */
    private static void sqliteFileDirectory(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        if (path.isEmpty() || path.startsWith(":memory:")) {
            return;
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        if (parent != null) {
            createDataDir(parent);
        }
    }
}
