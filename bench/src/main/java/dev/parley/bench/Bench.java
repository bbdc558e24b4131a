package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import tools.jackson.databind.SerializationFeature;

/**
 * The benchmark client. It expects a running Parley (started by {@code bench/run}) and a JDBC
 * URL to the same database, builds a data set through the API, measures the scenarios with
 * 1, 8 and 32 concurrent clients, measures the database's own insert limit, pgbench and
 * Spring AI's JDBC chat memory beside it, and writes a Markdown and a JSON report.
 */
public final class Bench {

    private record Options(String base, String jdbcUrl, String jdbcUser, String schema, String db, boolean quick, int scale,
                           Path out, List<Integer> clients, double warmup, double seconds, String parleyVersion,
                           long serverPid, int embeddingsPort, List<Long> knowledgeChunks, boolean reuse) {
    }

    /** Users signed in when a data set is reused: more than the largest client count, each client has its own. */
    private static final int REUSED_USERS = 64;

    private final Options options;
    private final Api api;
    private final List<Measure.Result> scenarios = new ArrayList<>();
    private final Map<Measure.Result, Map<String, Object>> serverSide = new HashMap<>();
    private final List<Map<String, Object>> limits = new ArrayList<>();
    private final List<Map<String, Object>> lengths = new ArrayList<>();
    private final Map<String, Object> lengthRatios = new LinkedHashMap<>();
    private final List<Map<String, Object>> knowledgeCorpus = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final String loadAverage = loadAverage();

    private Bench(Options options) {
        this.options = options;
        this.api = new Api(options.base());
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        System.exit(new Bench(options).run());
    }

    private static Options parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                a.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        String clients = a.getOrDefault("clients", quick ? "1,8" : "1,8,32");
        List<Integer> levels = new ArrayList<>();
        for (String c : clients.split(",")) {
            levels.add(Integer.parseInt(c.strip()));
        }
        return new Options(a.getOrDefault("base", "http://127.0.0.1:8080"), a.get("jdbc-url"), a.getOrDefault("jdbc-user", "postgres"),
                a.getOrDefault("schema", "public"), a.getOrDefault("db", "sqlite"), quick,
                Integer.parseInt(a.getOrDefault("scale", "1")), Path.of(a.getOrDefault("out", "bench/results")), levels,
                Double.parseDouble(a.getOrDefault("warmup", quick ? "0.5" : "5")),
                Double.parseDouble(a.getOrDefault("seconds", quick ? "1" : "15")), a.getOrDefault("parley-version", "unknown"),
                Long.parseLong(a.getOrDefault("server-pid", "-1")), Integer.parseInt(a.getOrDefault("embeddings-port", "0")),
                Arrays.stream(a.getOrDefault("kb-chunks", quick ? "1000" : "10000,100000").split(","))
                        .map(String::strip).filter(c -> !c.isEmpty()).map(Long::parseLong).toList(),
                Boolean.parseBoolean(a.getOrDefault("reuse", "false")));
    }

    private Dataset.Scale scale() {
        if (options.quick()) {
            return new Dataset.Scale(20, 5, 50, 1, 10_000, 1_000, 100);
        }
        int s = Math.max(1, options.scale());
        return new Dataset.Scale(1_000 * s, 10, 50, 3, 10_000, 1_000, 2_000);
    }

    private int run() throws Exception {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        long t0 = System.nanoTime();
        String mode = options.quick() ? "quick" : options.scale() > 1 ? "scale" + options.scale() : "full";
        System.out.printf("Parley benchmark, %s mode, %s, against %s%n", mode, options.db(), options.base());
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!api.healthy()) {
            if (options.serverPid() > 0 && !ProcessHandle.of(options.serverPid()).map(ProcessHandle::isAlive).orElse(false)) {
                System.err.println("Parley (pid " + options.serverPid() + ") exited before answering /health");
                return 2;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("Parley did not answer /health within 180 s");
                return 2;
            }
            Thread.sleep(250);
        }
        Dataset.Scale scale = scale();
        Dataset data = new Dataset(api);
        try (Peers peers = new Peers(options.jdbcUrl(), options.jdbcUser(), options.schema())) {
            if (options.reuse()) {
                System.out.printf("Reusing the data set an earlier run built (%,d messages)%n", scale.messages());
                String builtBy = peers.builtRunId();
                data.attach(scale, builtBy, REUSED_USERS);
                notes.add("The data set was built by an earlier run (" + builtBy + ") and reused (bench/run --reuse); "
                        + "the scenarios' users were drawn at random from its " + scale.users() + ".");
            } else {
                System.out.printf("Building the data set (%,d messages)%n", scale.messages());
                data.build(scale, options.quick() ? 4 : 8);
            }
            try {
                String analyzed = peers.analyze();
                if (analyzed != null) {
                    notes.add(analyzed);
                }
            } catch (Exception e) {
                notes.add("ANALYZE after the data build failed: " + e);
            }
            String dbVersion;
            try {
                dbVersion = peers.databaseVersion();
            } catch (Exception e) {
                dbVersion = "unknown (" + e.getMessage() + ")";
            }
            System.out.println("Scenarios over HTTP");
            runScenarios(data, peers);
            // a phase that fails (e.g. a shared PostgreSQL out of connections) is noted; the report is still written
            System.out.println("The database's own limit");
            try {
                databaseLimit(peers);
            } catch (Exception e) {
                notes.add("The database-limit phase failed: " + e);
                System.err.println("  failed: " + e);
            }
            System.out.println("Append cost by conversation length: Parley and Spring AI JdbcChatMemoryRepository");
            try {
                peers.vacuumUpdatedRows();
                byLength(peers, data, scale);
            } catch (Exception e) {
                notes.add("The append-by-length phase failed: " + e);
                System.err.println("  failed: " + e);
            }
            System.out.println("Knowledge-base hybrid search");
            try {
                knowledgeSearch(data);
            } catch (Exception e) {
                notes.add("The knowledge-base search phase failed: " + e);
                System.err.println("  failed: " + e);
            }
            notes.add("Client latency includes HTTP on loopback, JSON and the client's own scheduling; the server "
                    + "columns are the server's own time (its latency histogram), the figure the targets are about.");
            write(started, mode, scale, dbVersion);
            System.out.printf("Done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    // ---------------------------------------------------------------- scenarios over HTTP

    private void runScenarios(Dataset data, Peers peers) throws Exception {
        List<Dataset.User> users = data.users;
        Function<Integer, Dataset.User> userOf = client -> users.get(client % users.size());
        Map<String, Measure.Op> ops = new LinkedHashMap<>();
        ops.put("append", (client, i) -> {
            Dataset.User u = userOf.apply(client);
            String conversation = u.conversations().get(ThreadLocalRandom.current().nextInt(u.conversations().size()));
            api.post("/conversations/" + conversation + "/messages", u.token(), message());
        });
        ops.put("append with Idempotency-Key", (client, i) -> {
            Dataset.User u = userOf.apply(client);
            String conversation = u.conversations().get(ThreadLocalRandom.current().nextInt(u.conversations().size()));
            api.post("/conversations/" + conversation + "/messages", u.token(), message(), Api.key());
        });
        ops.put("last=10, short conversation", (client, i) -> {
            Dataset.User u = userOf.apply(client);
            String conversation = u.conversations().get(ThreadLocalRandom.current().nextInt(u.conversations().size()));
            api.get("/conversations/" + conversation + "/messages?last=10", u.token());
        });
        ops.put("last=10, 10,000-message conversation", (client, i) -> {
            String[] c = data.longConversations.get(client % data.longConversations.size());
            api.get("/conversations/" + c[1] + "/messages?last=10", c[0]);
        });
        ops.put("list conversations, first page", (client, i) -> {
            Dataset.User u = userOf.apply(client);
            api.get("/conversations?limit=20", u.token());
        });
        ops.put("list conversations, page " + data.deepPage + " (cursor)", (client, i) ->
                api.get("/conversations?limit=20&after=" + data.listUser[1], data.listUser[0]));
        ops.put("context, 4,000 tokens, 1,000 messages", (client, i) ->
                api.get("/conversations/" + data.contextConversation[1] + "/context?max_tokens=4000", data.contextConversation[0]));
        // one short unrecorded pass over every route first, so the first scenario does not pay for the JIT alone
        for (Measure.Op op : ops.values()) {
            Measure.warm(2, options.quick() ? 1 : 5, op);
        }
        ServerMetrics metrics = new ServerMetrics(api, data.adminToken);
        for (Map.Entry<String, Measure.Op> op : ops.entrySet()) {
            peers.vacuumUpdatedRows();
            measure(op.getKey(), op.getValue(), metrics);
        }
        if (serverSide.isEmpty()) {
            notes.add("Server-side figures are missing: /metrics could not be read with the first user's token.");
        }
    }

    /** One scenario at each client count, with the server's own figures for the same period. */
    private void measure(String scenario, Measure.Op op, ServerMetrics metrics) throws InterruptedException {
        for (int clients : options.clients()) {
            Map<String, ServerMetrics.Series> before = metrics.snapshot();
            Measure.Result result = Measure.timed(scenario, clients, options.warmup(), options.seconds(), op);
            scenarios.add(result);
            Map<String, Object> server = ServerMetrics.between(before, metrics.snapshot());
            if (server != null) {
                serverSide.put(result, server);
            }
        }
    }

    // ---------------------------------------------------------------- knowledge-base search

    /** Hybrid search over a corpus grown to each size in turn (indexing is not measured, only awaited). */
    private void knowledgeSearch(Dataset data) throws Exception {
        if (options.knowledgeChunks().isEmpty()) {
            notes.add("Knowledge-base search was not measured: no corpus size was asked for (--kb-chunks).");
            return;
        }
        if (options.embeddingsPort() <= 0) {
            notes.add("Knowledge-base search was not measured: it needs the benchmark's embedding endpoint "
                    + "(bench/run starts Parley with it; pass --embeddings-port when running the client by hand).");
            return;
        }
        ServerMetrics metrics = new ServerMetrics(api, data.adminToken);
        try (KnowledgeCorpus corpus = KnowledgeCorpus.start(api, options.embeddingsPort())) {
            for (long target : options.knowledgeChunks()) {
                long t0 = System.nanoTime();
                long chunks = corpus.grow(target, options.quick() ? 2 : 4);
                System.out.printf("  corpus of %,d chunks ready after %.0f s%n", chunks, (System.nanoTime() - t0) / 1e9);
                knowledgeCorpus.add(Map.of("chunks_wanted", target, "chunks", chunks,
                        "build_seconds", Measure.round((System.nanoTime() - t0) / 1e9)));
                Measure.Op search = (client, i) -> api.post("/projects/" + corpus.project() + "/knowledge-base/search",
                        corpus.token(), Map.of("query", corpus.query(), "top_k", 8, "mode", "hybrid"));
                Measure.warm(2, options.quick() ? 0.5 : 3, search);
                measure(String.format("knowledge-base hybrid search, %,d chunks", chunks), search, metrics);
            }
        }
        notes.add("Knowledge-base search: Parley embeds through an OpenAI-compatible endpoint served by the benchmark "
                + "client (feature-hashed word vectors, " + KnowledgeCorpus.DIMENSIONS + " dimensions), so the figures are "
                + "Parley's search path (HTTP, the query's embedding call over loopback, Lucene BM25 + HNSW, fusion, the "
                + "database re-check) without a neural model's cost; the in-process all-MiniLM-L6-v2 adds ~20-30 ms per "
                + "query on this machine (see the README). Top 8, mode hybrid, 3-5 word queries, one project.");
    }

    private static Map<String, Object> message() {
        return Map.of("role", ThreadLocalRandom.current().nextBoolean() ? "user" : "assistant", "content", Dataset.text());
    }

    // ---------------------------------------------------------------- the database's limit

    private void databaseLimit(Peers peers) throws Exception {
        boolean pgbench = !peers.sqlite() && onPath("pgbench");
        if (peers.sqlite()) {
            notes.add("pgbench is PostgreSQL's tool: not run on SQLite.");
        } else if (!pgbench) {
            notes.add("pgbench is not installed: only the JDBC insert limit is reported.");
        }
        for (int clients : options.clients()) {
            Measure.Result limit = peers.insertLimit(clients, options.warmup(), options.seconds());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("clients", clients);
            row.put("jdbc_insert_commit", limit.json());
            Measure.Result append = find("append", clients);
            row.put("parley_append_per_second", append == null ? null : Measure.round(append.perSecond()));
            row.put("parley_append_to_jdbc_ratio", append == null ? null : Measure.round(append.perSecond() / limit.perSecond()));
            if (pgbench) {
                Map<String, Object> pg = peers.pgbench(clients, (int) Math.max(1, Math.ceil(options.seconds())));
                row.put("pgbench", pg);
                if (append != null && pg.get("ops_per_second") instanceof Double tps && tps > 0) {
                    row.put("parley_append_to_pgbench_ratio", Measure.round(append.perSecond() / tps));
                }
            }
            limits.add(row);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private Measure.Result find(String scenario, int clients) {
        return scenarios.stream().filter(r -> r.scenario().equals(scenario) && r.clients() == clients).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- append cost by length

    private void byLength(Peers peers, Dataset built, Dataset.Scale scale) throws Exception {
        int maxOps = options.quick() ? 40 : 1_000;
        double seconds = options.quick() ? 2 : 20;
        String[] user = api.newUser("bench_len_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
        Dataset data = new Dataset(api);
        String project = data.newProject(user[1], "lengths");
        Peers.SpringAi springAi;
        try {
            springAi = peers.new SpringAi();
        } catch (Exception | LinkageError e) {
            springAi = null;
            notes.add("Spring AI JdbcChatMemoryRepository could not be set up: " + e);
        }
        // unrecorded warm-up of both on a conversation of their own: the server sat idle during the JDBC runs
        String warmParley = data.newConversation(user[1], project, "warm-up");
        data.fill(user[1], warmParley, 10);
        Measure.warm(1, options.quick() ? 1 : 5,
                (client, i) -> api.post("/conversations/" + warmParley + "/messages", user[1], message()));
        if (springAi != null) {
            Peers.SpringAi memory = springAi;
            String warmAi = memory.conversation(10);
            Measure.warm(1, options.quick() ? 0.5 : 5, (client, i) -> memory.append(warmAi));
        }
        for (int length : new int[] {10, 100, 1_000, 10_000}) {
            // each conversation takes at most length/10 appends, so the length stays within 10 %
            int count = Math.max(1, Math.min(maxOps, (int) Math.ceil(maxOps * 10.0 / length)));
            int perConversation = Math.max(1, length / 10);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("length", length);
            row.put("conversations", count);
            row.put("appends_per_conversation_at_most", perConversation);
            List<String> parley = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            // the data set's 1,000- and 10,000-message conversations serve first
            List<String[]> existing = length == scale.contextLength() ? List.<String[]>of(built.contextConversation)
                    : length == scale.longLength() ? built.longConversations : List.of();
            for (String[] c : existing.subList(0, Math.min(count, existing.size()))) {
                parley.add(c[1]);
                tokens.add(c[0]);
            }
            while (parley.size() < count) {
                String id = data.newConversation(user[1], project, "length " + length);
                data.fill(user[1], id, length);
                parley.add(id);
                tokens.add(user[1]);
            }
            Measure.Result p = Measure.bounded("Parley append @" + length, seconds, 3, (long) count * perConversation,
                    (client, i) -> {
                        int k = (int) (i % parley.size());
                        api.post("/conversations/" + parley.get(k) + "/messages", tokens.get(k), message());
                    });
            row.put("parley", p.json());
            if (springAi != null) {
                Peers.SpringAi memory = springAi;
                List<String> ai = new ArrayList<>();
                for (int c = 0; c < count; c++) {
                    ai.add(memory.conversation(length));
                }
                Measure.Result s = Measure.bounded("Spring AI ChatMemory.add @" + length, seconds, 3, (long) count * perConversation,
                        (client, i) -> memory.append(ai.get((int) (i % ai.size()))));
                row.put("spring_ai", s.json());
            }
            lengths.add(row);
        }
        notes.add("Append by length: each conversation takes at most a tenth of its length in appends, so the short "
                + "lengths rotate over many conversations (" + lengths.getFirst().get("conversations") + " at 10 messages) "
                + "while 10,000 uses " + lengths.getLast().get("conversations") + ": the two ends do not run under the same "
                + "cache conditions, and on a busy machine Parley's 10,000 ÷ 10 ratio drifts either side of 1.");
        lengthRatios.put("parley_mean_10000_over_10", ratio("parley", "mean_ms"));
        lengthRatios.put("parley_p50_10000_over_10", ratio("parley", "p50_ms"));
        if (springAi != null) {
            lengthRatios.put("spring_ai_mean_10000_over_10", ratio("spring_ai", "mean_ms"));
            lengthRatios.put("spring_ai_p50_10000_over_10", ratio("spring_ai", "p50_ms"));
        }
        System.out.println("  append cost at 10,000 over 10 messages: " + lengthRatios);
    }

    @SuppressWarnings("unchecked")
    private Double ratio(String system, String figure) {
        if (lengths.size() < 4) {
            return null;
        }
        Map<String, Object> at10 = (Map<String, Object>) lengths.getFirst().get(system);
        Map<String, Object> at10k = (Map<String, Object>) lengths.getLast().get(system);
        if (at10 == null || at10k == null) {
            return null;
        }
        return Measure.round((Double) at10k.get(figure) / (Double) at10.get(figure));
    }

    // ---------------------------------------------------------------- report

    private Map<String, Object> machine(String dbVersion) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", procLine("/proc/cpuinfo", "model name"));
        String mem = procLine("/proc/meminfo", "MemTotal");
        m.put("memory_gib", mem == null ? null
                : Measure.round(Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        m.put("database", dbVersion);
        m.put("load_average_at_start", loadAverage);
        m.put("load_average_at_end", loadAverage());
        m.put("note", "client, server and database share this machine");
        return m;
    }

    /** The 1-, 5- and 15-minute load averages (Linux), to show how busy a shared machine was. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return null;
        }
    }

    private static String procLine(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (Exception e) {
            // not Linux: leave it out
        }
        return null;
    }

    private void write(ZonedDateTime started, String mode, Dataset.Scale scale, String dbVersion) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("started_at", started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_INSTANT));
        report.put("mode", mode);
        report.put("database", options.db());
        report.put("parley_version", options.parleyVersion());
        report.put("machine", machine(dbVersion));
        report.put("scale", scale.describe());
        report.put("clients", options.clients());
        report.put("warmup_seconds", options.warmup());
        report.put("measure_seconds", options.seconds());
        report.put("scenarios", scenarios.stream().map(r -> {
            Map<String, Object> m = r.json();
            m.put("server", serverSide.get(r));
            return m;
        }).toList());
        report.put("database_limit", limits);
        report.put("append_by_length", lengths);
        report.put("append_10000_over_10", lengthRatios);
        report.put("knowledge_corpus", knowledgeCorpus);
        report.put("notes", notes);

        Files.createDirectories(options.out());
        String name = started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")) + "-" + mode + "-" + options.db();
        Path json = options.out().resolve(name + ".json");
        Files.writeString(json, Api.JSON.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build()
                .writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
        Path md = options.out().resolve(name + ".md");
        Files.writeString(md, markdown(report, scale), StandardCharsets.UTF_8);
        System.out.println("Wrote " + md + " and " + json);
    }

    private static String one(Object v) {
        return v instanceof Number n ? String.format("%.1f", n.doubleValue()) : String.valueOf(v);
    }

    private static String two(Object v) {
        return v instanceof Number n ? String.format("%.2f", n.doubleValue()) : v == null ? "–" : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    private String markdown(Map<String, Object> report, Dataset.Scale scale) {
        StringBuilder s = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        s.append("# Parley benchmark: ").append(report.get("mode")).append(" mode on ").append(options.db()).append("\n\n");
        s.append("Run ").append(report.get("started_at")).append(", Parley ").append(report.get("parley_version")).append(". ");
        s.append("Machine: ").append(machine.get("cores")).append(" cores (").append(machine.get("cpu")).append("), ")
                .append(machine.get("memory_gib")).append(" GiB, ").append(machine.get("jdk")).append(", ")
                .append(machine.get("database")).append("; client, server and database on the same machine, load average ")
                .append(machine.get("load_average_at_start")).append(" at the start, ").append(machine.get("load_average_at_end"))
                .append(" at the end.\n\n");
        s.append(String.format("Data: %,d users × %d conversations × %d messages, %d × %,d-message conversation, "
                        + "one %,d-message conversation, one user with %,d conversations; %,d messages in all, "
                        + "%d–%,d characters each (log-uniform). Each figure: %.1f s warm-up, %.1f s measured.%n%n",
                scale.users(), scale.conversationsPerUser(), scale.messagesPerConversation(), scale.longConversations(),
                scale.longLength(), scale.contextLength(), scale.listConversations(), scale.messages(), Dataset.MIN_CHARS,
                Dataset.MAX_CHARS, options.warmup(), options.seconds()));
        s.append("## Scenarios over HTTP (client-side latency, keep-alive)\n\n");
        s.append("Server columns: the server's own time per request of that route over the warm-up and the measured "
                + "period, from the `http_server_requests_seconds` histogram on `/metrics` (a percentile is the upper "
                + "bound of its bucket, at most ~10% high).\n\n");
        s.append("| scenario | clients | ops/s | p50 ms | p95 ms | p99 ms | errors | server mean ms | server p50 ms "
                + "| server p95 ms | server p99 ms |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Measure.Result r : scenarios) {
            Map<String, Object> server = serverSide.get(r);
            s.append(String.format("| %s | %d | %.1f | %.2f | %.2f | %.2f | %d | %s | %s | %s | %s |%n", r.scenario(),
                    r.clients(), r.perSecond(), r.p50(), r.p95(), r.p99(), r.errors(),
                    server == null ? "–" : two(server.get("mean_ms")), server == null ? "–" : two(server.get("p50_ms")),
                    server == null ? "–" : two(server.get("p95_ms")), server == null ? "–" : two(server.get("p99_ms"))));
        }
        s.append("\n## Append beside the database's own limit\n\n");
        s.append("The limit: the same single-row `INSERT` + `COMMIT` into a scratch table shaped like `messages`, "
                + "over JDBC, one connection per thread, in the same database.\n\n");
        s.append("| clients | JDBC insert+commit/s | Parley append/s | ratio | pgbench tps | ratio to pgbench |\n"
                + "|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> row : limits) {
            Map<String, Object> jdbc = (Map<String, Object>) row.get("jdbc_insert_commit");
            Map<String, Object> pg = (Map<String, Object>) row.get("pgbench");
            s.append(String.format("| %s | %s | %s | %s | %s | %s |%n", row.get("clients"), one(jdbc.get("ops_per_second")),
                    one(row.get("parley_append_per_second")), two(row.get("parley_append_to_jdbc_ratio")),
                    pg == null ? "–" : pg.containsKey("skipped") ? pg.get("skipped") : one(pg.get("ops_per_second")),
                    two(row.getOrDefault("parley_append_to_pgbench_ratio", "–"))));
        }
        s.append("\n## Append cost by conversation length, one client\n\n");
        s.append("Parley: `POST /conversations/{id}/messages` over HTTP. Spring AI 2.0.0: `MessageWindowChatMemory.add` over "
                + "`JdbcChatMemoryRepository` in process (window large enough to keep the whole conversation).\n\n");
        s.append("| messages | Parley mean ms | Parley p50 ms | Parley p99 ms | Spring AI mean ms | Spring AI p50 ms | Spring AI p99 ms |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> row : lengths) {
            Map<String, Object> p = (Map<String, Object>) row.get("parley");
            Map<String, Object> a = (Map<String, Object>) row.get("spring_ai");
            s.append(String.format("| %,d | %s | %s | %s | %s | %s | %s |%n", (Integer) row.get("length"), two(p.get("mean_ms")),
                    two(p.get("p50_ms")), two(p.get("p99_ms")), a == null ? "–" : two(a.get("mean_ms")),
                    a == null ? "–" : two(a.get("p50_ms")), a == null ? "–" : two(a.get("p99_ms"))));
        }
        s.append("\nAppend cost at 10,000 messages over its cost at 10 (mean): Parley ")
                .append(two(lengthRatios.get("parley_mean_10000_over_10"))).append(", Spring AI ")
                .append(two(lengthRatios.getOrDefault("spring_ai_mean_10000_over_10", "–"))).append(".\n");
        if (!notes.isEmpty()) {
            s.append("\n## Notes\n\n");
            notes.forEach(n -> s.append("- ").append(n).append('\n'));
        }
        return s.toString();
    }
}
