package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.util.FileSystemUtils;

/**
 * Runs a Spring test on PostgreSQL, in a schema made for the test context and dropped when
 * the context closes (the data directory for keys and blobs is a temp folder likewise).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(PostgresCondition.class)
@ContextConfiguration(initializers = OnPostgres.Initializer.class)
public @interface OnPostgres {

    class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            try {
                String schema = Postgres.createSchema();
                Path dataDir = Files.createTempDirectory("parley-test-");
                TestPropertyValues.of(
                        "parley.data-dir=" + dataDir,
                        "spring.datasource.url=" + Postgres.url(schema),
                        "spring.datasource.username=" + Postgres.USER,
                        "spring.datasource.password=" + Postgres.PASSWORD,
                        "spring.flyway.default-schema=" + schema,
                        "spring.flyway.schemas=" + schema).applyTo(context);
                context.addApplicationListener(event -> {
                    if (event instanceof ContextClosedEvent) {
                        Postgres.dropSchema(schema);
                        FileSystemUtils.deleteRecursively(dataDir.toFile());
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
