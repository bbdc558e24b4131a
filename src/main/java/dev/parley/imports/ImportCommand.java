package dev.parley.imports;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.parley.config.BackgroundWork;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.PropertyNamingStrategies;

/**
 * {@code java -jar parley.jar import <source> <location> [options]}: the importer without the
 * web server, on the same configuration (data directory, datasource) as the server. Progress
 * goes to stderr, the summary to stdout; the exit code is 0 on success, 1 on a failed import
 * or a verification mismatch, 2 on a usage error.
 */
public final class ImportCommand {

    static final String USAGE = """
            usage: java -jar parley.jar import <source> <location> [options]
              sources: projects-db, threads-db, todo-db, mongo-export, chatgpt, parley
              location: a file, a directory, a zip or a JDBC URL (jdbc:sqlite:..., jdbc:postgresql://...)
            options:
              --dry-run            read and check everything, write nothing, report what would be created
              --verify             only compare the source with what Parley holds (counts and checksum)
              --rollback <batch>   remove exactly the rows of an earlier batch (location may be omitted)
              --project <id>       put conversations the source has no project for into this project
              --user <username>    the owner of rows the source attributes to nobody (required for chatgpt)
              --report <file>      also write the full report as JSON to this file
              --name=value         any Spring/Parley property, e.g. --spring.datasource.url=... --parley.data-dir=...
            """;

    private ImportCommand() {
    }

    /** Whether the process was started as the import command. */
    public static boolean requested(String[] args) {
        return args.length > 0 && args[0].equals("import");
    }

    /** Runs the command and answers the process exit code. */
    public static int run(Class<?> application, String[] args) {
        PrintStream out = System.out;
        Parsed parsed;
        try {
            parsed = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("import: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        try (ConfigurableApplicationContext context = application(application)
                .run(parsed.springArgs().toArray(String[]::new))) {
            ImportService imports = context.getBean(ImportService.class);
            ImportReport report = imports.run(parsed.options(), new TerminalProgress(System.err));
            JsonMapper json = JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .build();
            if (parsed.reportFile() != null) {
                Files.writeString(parsed.reportFile(), json.writeValueAsString(report));
            }
            summary(out, report);
            return report.exitCode();
        } catch (Exception e) {
            System.err.println("import failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The server's application without its web server and without its background work: no
     * retention run may purge what is being imported, no sweep or indexer may run beside the
     * server that shares the database and data directory.
     */
    static SpringApplicationBuilder application(Class<?> application) {
        return new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties(BackgroundWork.ENABLED + "=false");
    }

    record Parsed(ImportOptions options, List<String> springArgs, Path reportFile) {
    }

    static Parsed parse(String[] args) {
        List<String> positional = new ArrayList<>();
        List<String> spring = new ArrayList<>();
        boolean dryRun = false;
        boolean verify = false;
        UUID rollback = null;
        UUID project = null;
        String user = null;
        Path report = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--dry-run" -> dryRun = true;
                case "--verify" -> verify = true;
                case "--rollback" -> rollback = uuid(value(args, ++i, arg), arg);
                case "--project" -> project = uuid(value(args, ++i, arg), arg);
                case "--user" -> user = value(args, ++i, arg);
                case "--report" -> report = Path.of(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("--") && arg.contains("=")) {
                        spring.add(arg);
                    } else if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    } else {
                        positional.add(arg);
                    }
                }
            }
        }
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("which source?");
        }
        SourceKind source = null;
        for (SourceKind kind : SourceKind.values()) {
            if (kind.apiValue().equals(positional.getFirst())) {
                source = kind;
            }
        }
        if (source == null) {
            throw new IllegalArgumentException("unknown source " + positional.getFirst());
        }
        if (positional.size() < 2 && rollback == null) {
            throw new IllegalArgumentException("where is the source? (a path or a JDBC URL)");
        }
        String location = positional.size() > 1 ? positional.get(1) : "";
        return new Parsed(new ImportOptions(source, location, dryRun, verify, rollback, project, user, null), spring,
                report);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static UUID uuid(String value, String option) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " needs a UUID, not " + value);
        }
    }

    static void summary(PrintStream out, ImportReport report) {
        out.printf("%s of %s %s: %s%n", report.mode(), report.source(), report.location(), report.status());
        if (report.batchId() != null) {
            out.println("batch: " + report.batchId());
        }
        out.println("users: " + report.userRule());
        report.users().stream().limit(50).forEach(u ->
                out.printf("  %s -> %s (%s)%n", u.sourceId(), u.username(), u.action()));
        if (report.users().size() > 50) {
            out.printf("  ... and %d more%n", report.users().size() - 50);
        }
        out.printf("%-14s %10s %10s %10s %10s%n", "entity", "source", "created", "skipped", "removed");
        report.counts().forEach((kind, c) ->
                out.printf("%-14s %10d %10d %10d %10d%n", kind, c.source(), c.created(), c.skipped(), c.removed()));
        if (report.verify() != null) {
            out.println("verify: " + (report.verify().ok() ? "ok" : "MISMATCH"));
            report.verify().counts().forEach((kind, e) -> out.printf("  %-12s expected %d, found %d%s%n", kind,
                    e.expected(), e.actual(), e.expected() == e.actual() ? "" : "  <-- mismatch"));
            out.println("  message checksum source " + report.verify().sourceChecksum());
            out.println("  message checksum parley " + report.verify().parleyChecksum());
        }
        if (report.problems().isEmpty()) {
            out.println("problems: none");
        } else {
            out.println("problems:");
            for (Map.Entry<String, Problems.Kind> e : report.problems().entrySet()) {
                out.printf("  %-24s %d  e.g. %s%n", e.getKey(), e.getValue().count(),
                        String.join("; ", e.getValue().examples().stream().limit(3).toList()));
            }
        }
        out.printf(Locale.ROOT, "time: %.1f s, %.1f messages/s%n", report.durationMs() / 1000.0,
                report.messagesPerSecond());
    }

    /** Rows per second and an estimate of the time left, at most once a second. */
    static final class TerminalProgress implements ImportProgress {
        private final PrintStream err;
        private final long started = System.nanoTime();
        private long lastPrint;

        TerminalProgress(PrintStream err) {
            this.err = err;
        }

        @Override
        public void phase(String name) {
            err.println("import: " + name);
        }

        @Override
        public void rows(long done, long total) {
            long now = System.nanoTime();
            if (now - lastPrint < 1_000_000_000L && done < total) {
                return;
            }
            lastPrint = now;
            double seconds = Math.max(0.001, (now - started) / 1e9);
            double rate = done / seconds;
            long eta = rate > 0 ? (long) ((total - done) / rate) : 0;
            Duration left = Duration.ofSeconds(eta);
            err.printf(Locale.ROOT, "  %d/%d messages, %.0f/s, ETA %d:%02d:%02d%n", done, total, rate,
                    left.toHours(), left.toMinutesPart(), left.toSecondsPart());
        }
    }
}
