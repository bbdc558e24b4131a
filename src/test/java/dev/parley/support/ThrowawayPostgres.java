package dev.parley.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.springframework.util.FileSystemUtils;

/**
 * A PostgreSQL instance of a test's own, made with {@code initdb} in a temporary folder and
 * run with {@code pg_ctl} on a free port, so that the test may stop and start it at will.
 * The shared server on 5432 that the other tests (and other people) use is never touched.
 *
 * <p>The binaries come from {@code PARLEY_TEST_PG_BIN} (default
 * {@code /usr/lib/postgresql/15/bin}). {@code initdb} refuses to run as root, so under root
 * every command runs as the {@code postgres} account ({@code runuser -u postgres --}).
 * Without the binaries the test is skipped locally and fails under {@code CI=true}.
 */
public final class ThrowawayPostgres implements AutoCloseable {

    public static final Path BIN = Path.of(System.getenv().getOrDefault("PARLEY_TEST_PG_BIN",
            "/usr/lib/postgresql/15/bin"));

    private final Path root;
    private final Path data;
    private final int port;

    private ThrowawayPostgres(Path root, int port) {
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
    }

    /** Skips the calling test when the binaries are missing, unless {@code CI=true}. */
    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl"));
        if (!installed && Postgres.required()) {
            throw new IllegalStateException("CI=true and the PostgreSQL server binaries are not in " + BIN
                    + " (set PARLEY_TEST_PG_BIN)");
        }
        Assumptions.assumeTrue(installed, "no PostgreSQL server binaries in " + BIN);
    }

    /** Creates a cluster (trust auth) and starts it. */
    public static ThrowawayPostgres start() throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("parley-pg-");
        ThrowawayPostgres postgres = new ThrowawayPostgres(root, freePort());
        if (runsAsRoot()) {
            run(List.of("chown", "postgres:postgres", root.toString()), root, false);
        }
        postgres.pg(List.of(BIN.resolve("initdb").toString(), "-D", postgres.data.toString(), "-A", "trust",
                "-U", "postgres", "-E", "UTF8", "--no-instructions"));
        postgres.startServer();
        return postgres;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Starts the stopped server and waits until it accepts connections. */
    public void startServer() throws IOException, InterruptedException {
        pg(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", root.resolve("postgres.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1", "start"));
    }

    /**
     * Stops the server: {@code immediate} kills it without a checkpoint (as a crash would),
     * {@code fast} ends the sessions and shuts down cleanly.
     */
    public void stopServer(String mode) throws IOException, InterruptedException {
        pg(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", mode, "stop"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stopServer("immediate");
            }
        } finally {
            FileSystemUtils.deleteRecursively(root);
        }
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (runsAsRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, root, true);
    }

    private static void run(List<String> command, Path root, boolean log) throws IOException, InterruptedException {
        Path output = Files.createTempFile("parley-pg-command", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                String postgresLog = log && Files.exists(root.resolve("postgres.log"))
                        ? Files.readString(root.resolve("postgres.log"), StandardCharsets.UTF_8) : "";
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8) + postgresLog);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
