package dev.parley.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings that belong to the instance as a whole.
 *
 * @param dataDir where Parley keeps what is not in an external database: the SQLite file,
 *                blobs, the search index and generated keys ({@code PARLEY_DATA_DIR})
 * @param databasePoolSize the most connections Parley holds to PostgreSQL
 *                ({@code PARLEY_DATABASEPOOLSIZE}); SQLite always uses a few
 */
@ConfigurationProperties("parley")
public record ParleyProperties(@DefaultValue("./parley-data") Path dataDir,
                               @DefaultValue("20") int databasePoolSize) {
}
