package dev.parley.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.parley.Parley;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.scheduling.config.ScheduledTaskHolder;

/**
 * The command's own process: the server's application without a web server and without the
 * background work that would purge, sweep or index beside the server sharing its database.
 */
class ImportCommandTest {

    @TempDir
    Path dir;

    @Test
    void theCommandsApplicationSchedulesNothingAndStartsNoIndexer() {
        try (ConfigurableApplicationContext context = ImportCommand.application(Parley.class)
                .run("--parley.data-dir=" + dir.resolve("data"))) {
            assertThat(context.getBeansOfType(ScheduledTaskHolder.class).values())
                    .allSatisfy(holder -> assertThat(holder.getScheduledTasks()).isEmpty());
            assertThat(context.getBeansOfType(Lifecycle.class).entrySet())
                    .filteredOn(bean -> bean.getKey().toLowerCase().contains("indexer"))
                    .isNotEmpty()
                    .allSatisfy(bean -> assertThat(bean.getValue().isRunning()).as(bean.getKey()).isFalse());
        }
    }

    @Test
    void anOldProcessingLogIsImportedAndVerifiedEvenWithRetentionDueAtOnce() throws Exception {
        Path export = Files.createDirectories(dir.resolve("export"));
        Files.writeString(export.resolve("projects.json"), """
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e501"},"project_id":"p-1","project_name":"gearbox","created_by":"ana"}
                """);
        Files.writeString(export.resolve("logs.json"), """
                {"_id":{"$oid":"670919a3e4b0a1b2c3d4e901"},"project_id":"p-1","version":1,"log_summary":"ok","timestamp":{"$date":"2020-01-01T00:00:00Z"}}
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = ImportCommand.run(Parley.class, new String[] {"import", "mongo-export", export.toString(),
                    "--parley.data-dir=" + dir.resolve("data"), "--parley.retention.initial-delay=0s",
                    "--parley.retention.interval=10ms"});
        } finally {
            System.setOut(stdout);
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("verify: ok").containsPattern("log\\s+1\\s+1");
        assertThat(exit).isZero();
    }
}
