package dev.parley.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

/**
 * Builds an instance at a stated scale through Parley's own HTTP API (register, log in,
 * create a project and conversations, batch-append messages of up to 1,000 per call), and
 * keeps the ids and tokens the scenarios need.
 */
final class Dataset {

    /** The shape of the data to build. */
    record Scale(int users, int conversationsPerUser, int messagesPerConversation, int longConversations,
                 int longLength, int contextLength, int listConversations) {

        long messages() {
            return (long) users * conversationsPerUser * messagesPerConversation
                    + (long) longConversations * longLength + contextLength;
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("users", users);
            m.put("conversations_per_user", conversationsPerUser);
            m.put("messages_per_conversation", messagesPerConversation);
            m.put("long_conversations", longConversations);
            m.put("long_conversation_length", longLength);
            m.put("context_conversation_length", contextLength);
            m.put("list_user_conversations", listConversations);
            m.put("total_messages", messages());
            m.put("message_chars", "log-uniform between " + MIN_CHARS + " and " + MAX_CHARS);
            return m;
        }
    }

    /** A user with a token and its conversations. */
    record User(String id, String token, String projectId, List<String> conversations) {
    }

    static final int MIN_CHARS = 20;
    static final int MAX_CHARS = 4_000;
    static final int BATCH = 1_000;

    private static final String[] WORDS = ("the a to of and in is it you that for on with as this was be are have "
            + "not at or from by but what all were when we there can an your which their said if do will each "
            + "about how up out them then she many some so these would other into has more her two like him see "
            + "time could no make than first been its who now people my made over did down only way find use may "
            + "water long little very after words called just where most know database memory conversation token "
            + "context assistant message project summary function argument latency schema index query result "
            + "because through between should before important example answer question explain review").split(" ");

    final List<User> users = new ArrayList<>();
    final List<String[]> longConversations = new ArrayList<>(); // {token, conversation id}
    String[] contextConversation; // {token, conversation id}
    String[] listUser; // {token, deep cursor}
    int deepPage;
    String adminToken; // the instance's first user, an admin on a fresh instance (reads /metrics)
    final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    final AtomicLong appended = new AtomicLong();

    private final Api api;

    Dataset(Api api) {
        this.api = api;
    }

    /** Message content with a log-uniform length between 20 and 4,000 characters. */
    static String text() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int length = (int) Math.round(Math.exp(random.nextDouble(Math.log(MIN_CHARS), Math.log(MAX_CHARS))));
        return text(length);
    }

    static String text(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(length + 16);
        while (sb.length() < length) {
            sb.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(12) == 0 ? ". " : " ");
        }
        sb.setLength(length);
        return sb.toString();
    }

    static List<Map<String, Object>> messages(int count, int offset) {
        List<Map<String, Object>> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(Map.of("role", (offset + i) % 2 == 0 ? "user" : "assistant", "content", text()));
        }
        return batch;
    }

    /** Appends {@code count} messages in batches of up to 1,000. */
    void fill(String token, String conversationId, int count) {
        for (int start = 0; start < count; start += BATCH) {
            int n = Math.min(BATCH, count - start);
            api.post("/conversations/" + conversationId + "/messages/batch", token, Map.of("messages", messages(n, start)));
            appended.addAndGet(n);
        }
    }

    String newConversation(String token, String projectId, String title) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project_id", projectId);
        body.put("title", title);
        return api.post("/conversations", token, body).get("id").asString();
    }

    String newProject(String token, String name) {
        return api.post("/projects", token, Map.of("name", name, "max_tokens", 1_000_000_000_000L)).get("id").asString();
    }

    /** Walks the lister's conversations to a page near the end of the list and keeps its cursor. */
    private String deepCursor(String token, Scale scale) {
        int pages = (scale.listConversations() + 19) / 20;
        deepPage = Math.max(2, pages - 1);
        String cursor = null;
        for (int p = 1; p < deepPage; p++) {
            JsonNode page = api.get("/conversations?limit=20" + (cursor == null ? "" : "&after=" + cursor), token);
            JsonNode next = page.get("next_cursor");
            if (next == null || next.isNull()) {
                break;
            }
            cursor = next.asString();
        }
        return cursor;
    }

    /**
     * Takes over an instance an earlier run built at the same scale ({@code bench/run --reuse}):
     * logs in as its users and finds their conversations through the API, so a change can be
     * measured on a 10 M-message data set without building it again for an hour. The scenarios
     * use one user per client; {@code sample} users are drawn at random from all of them.
     */
    void attach(Scale scale, String builtRunId, int sample) {
        long started = System.nanoTime();
        String prefix = "b" + builtRunId + "_";
        adminToken = api.login(prefix + "admin");
        List<Integer> indices = new ArrayList<>();
        for (int u = 0; u < scale.users(); u++) {
            indices.add(u);
        }
        Collections.shuffle(indices);
        for (int u : indices.subList(0, Math.min(sample, indices.size()))) {
            String token = api.login(prefix + "u" + u);
            JsonNode page = api.get("/conversations?limit=100", token);
            List<String> conversations = new ArrayList<>();
            page.get("data").forEach(c -> conversations.add(c.get("id").asString()));
            JsonNode first = page.get("data").get(0);
            users.add(new User(first.get("user_id").asString(), token, first.get("project_id").asString(), conversations));
        }
        for (int l = 0; l < scale.longConversations(); l++) {
            longConversations.add(onlyConversation(prefix + "long" + l));
        }
        contextConversation = onlyConversation(prefix + "context");
        String lister = api.login(prefix + "lister");
        listUser = new String[] {lister, deepCursor(lister, scale)};
        System.out.printf("  attached to run %s: %,d of its users signed in, in %.1f s%n", builtRunId, users.size(),
                (System.nanoTime() - started) / 1e9);
    }

    private String[] onlyConversation(String username) {
        String token = api.login(username);
        return new String[] {token, api.get("/conversations?limit=1", token).get("data").get(0).get("id").asString()};
    }

    /** Builds the whole instance with {@code threads} parallel loaders. */
    void build(Scale scale, int threads) throws Exception {
        long started = System.nanoTime();
        // the first user of an empty instance becomes admin: let that be one the scenarios never use
        adminToken = api.newUser("b" + runId + "_admin")[1];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Thread progress = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    Thread.sleep(15_000);
                    System.out.printf("  ... %,d of %,d messages%n", appended.get(), scale.messages());
                }
            } catch (InterruptedException e) {
                // built
            }
        });
        try {
            // the long conversations fill batch after batch: start them first
            List<Future<?>> extra = new ArrayList<>();
            for (int l = 0; l < scale.longConversations(); l++) {
                int index = l;
                extra.add(pool.submit(() -> {
                    String[] user = api.newUser("b" + runId + "_long" + index);
                    String project = newProject(user[1], "long " + index);
                    String id = newConversation(user[1], project, "long " + index);
                    fill(user[1], id, scale.longLength());
                    synchronized (longConversations) {
                        longConversations.add(new String[] {user[1], id});
                    }
                    return null;
                }));
            }
            extra.add(pool.submit(() -> {
                String[] user = api.newUser("b" + runId + "_context");
                String project = newProject(user[1], "context");
                api.send("PATCH", "/projects/" + project, user[1], Map.of(
                        "custom_instructions", "You are a helpful assistant. Answer briefly and cite the project notes.",
                        "goals", "Benchmark the context endpoint."), null);
                String id = newConversation(user[1], project, "context");
                fill(user[1], id, scale.contextLength());
                contextConversation = new String[] {user[1], id};
                return null;
            }));
            extra.add(pool.submit(() -> {
                String[] user = api.newUser("b" + runId + "_lister");
                String project = newProject(user[1], "lister");
                for (int c = 0; c < scale.listConversations(); c++) {
                    newConversation(user[1], project, "listed " + c);
                }
                listUser = new String[] {user[1], deepCursor(user[1], scale)};
                return null;
            }));
            List<Future<User>> futures = new ArrayList<>();
            for (int u = 0; u < scale.users(); u++) {
                int index = u;
                futures.add(pool.submit(() -> {
                    String[] user = api.newUser("b" + runId + "_u" + index);
                    String project = newProject(user[1], "bench " + index);
                    List<String> conversations = new ArrayList<>();
                    for (int c = 0; c < scale.conversationsPerUser(); c++) {
                        String id = newConversation(user[1], project, "conversation " + c);
                        fill(user[1], id, scale.messagesPerConversation());
                        conversations.add(id);
                    }
                    return new User(user[0], user[1], project, conversations);
                }));
            }
            for (Future<User> f : futures) {
                users.add(f.get());
            }
            for (Future<?> f : extra) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            progress.interrupt();
        }
        Collections.shuffle(users);
        System.out.printf("  built %,d users, %,d messages in %.1f s%n", users.size() + 4 + scale.longConversations(),
                appended.get(), (System.nanoTime() - started) / 1e9);
    }
}
