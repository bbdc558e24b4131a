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

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.util.FileSystemUtils;

/** Runs a Spring test on the embedded default: a fresh data directory with its own SQLite file. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ContextConfiguration(initializers = OnSqlite.Initializer.class)
public @interface OnSqlite {

    class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            try {
                Path dataDir = Files.createTempDirectory("parley-test-");
                TestPropertyValues.of("parley.data-dir=" + dataDir, "spring.datasource.url=").applyTo(context);
                context.addApplicationListener(event -> {
                    if (event instanceof ContextClosedEvent) {
                        FileSystemUtils.deleteRecursively(dataDir.toFile());
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
