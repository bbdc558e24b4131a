package dev.parley.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.parley.db.tables.records.ImportRowsRecord;
import dev.parley.db.tables.records.MessagesRecord;
import dev.parley.storage.BlobStore;
import dev.parley.storage.StoredBlob;
import dev.parley.web.Ids;
import dev.parley.web.NotFoundException;
import dev.parley.web.ValidationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one code path of every import, for the command and the admin route alike. A run reads
 * the whole source, checks it (duplicates, dangling references, unknown roles, text a database
 * cannot store), maps users, then writes: users, projects and files first, then each
 * conversation with its messages in a transaction of its own, so bad data fails one
 * conversation and the rest goes on. Every row written is recorded in the batch's mapping in
 * the same transaction as the row. The run ends with a verification of counts and a checksum
 * of message contents, source against Parley.
 */
@Service
public class ImportService {

    private static final Logger log = LoggerFactory.getLogger(ImportService.class);
    private static final Pattern USERNAME_CHARS = Pattern.compile("[^A-Za-z0-9_.-]");
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    private static final Set<String> MEMBER_ROLES = Set.of("owner", "editor", "viewer");
    private static final Set<String> PURPOSES = Set.of("input", "output", "log", "processed", "knowledge", "attachment");
    private static final Set<String> KINDS = Set.of("code", "document", "image", "audio", "video");
    private static final Set<String> LEVELS = Set.of("debug", "info", "warning", "error");
    private static final Set<String> STATUSES = Set.of("draft", "processing", "completed", "error");
    private static final List<String> ENTITY_KINDS = List.of("user", "project", "conversation", "message", "file",
            "document", "artifact", "log", "task");

    private final ImportStore store;
    private final Map<SourceKind, SourceReader> readers = new HashMap<>();
    private final BlobStore blobs;
    private final PasswordEncoder passwords;
    private final TransactionTemplate tx;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();

    ImportService(ImportStore store, List<SourceReader> readers, BlobStore blobs, PasswordEncoder passwords,
                  PlatformTransactionManager transactions) {
        this.store = store;
        readers.forEach(r -> this.readers.put(r.kind(), r));
        for (SourceKind kind : SourceKind.values()) {
            if (!this.readers.containsKey(kind)) {
                throw new IllegalStateException("no reader for the " + kind.apiValue() + " source");
            }
        }
        this.blobs = blobs;
        this.passwords = passwords;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Runs an import, a dry run, a verification or a rollback, as the options say. */
    public ImportReport run(ImportOptions options, ImportProgress progress) {
        long started = System.nanoTime();
        if (options.rollbackBatch() != null) {
            return rollback(options, started);
        }
        SourceReader reader = readers.get(options.source());
        progress.phase("reading " + options.source().apiValue() + " " + options.location());
        SourceData data = reader.read(options.location(), options);
        String sourceKey = reader.sourceKey(options.location());
        Plan plan = plan(data);
        Run run = new Run(options, sourceKey, data, plan, progress, options.dryRun() || options.verifyOnly());
        if (options.verifyOnly()) {
            resolveUsers(run);
            ImportReport.Verification verification = verify(run);
            return report(run, null, "verify", verification.ok() ? "verified" : "verify_mismatch", verification,
                    started);
        }
        UUID batch = null;
        if (!run.dryRun) {
            batch = Ids.newId();
            UUID batchId = batch;
            ObjectNode optionsJson = json.valueToTree(options);
            tx.executeWithoutResult(s -> store.createBatch(batchId, options.source(), sourceKey, optionsJson,
                    options.createdBy(), Ids.now()));
        }
        run.batch = batch;
        try {
            write(run);
        } catch (RuntimeException e) {
            log.error("import batch {} failed", batch, e);
            data.problems.add("batch_failed", String.valueOf(e.getMessage()));
            ImportReport failed = report(run, batch, run.dryRun ? "dry_run" : "import", "failed", null, started);
            finish(batch, failed);
            return failed;
        }
        if (run.dryRun) {
            return report(run, null, "dry_run", "dry_run", null, started);
        }
        progress.phase("verifying");
        ImportReport.Verification verification = verify(run);
        ImportReport done = report(run, batch, "import", verification.ok() ? "completed" : "verify_mismatch",
                verification, started);
        finish(batch, done);
        return done;
    }

    private void finish(@Nullable UUID batch, ImportReport report) {
        if (batch != null) {
            String status = report.status().equals("completed") ? "completed" : "failed";
            tx.executeWithoutResult(s -> store.finishBatch(batch, status, json.valueToTree(report), Ids.now()));
        }
    }

    // ------------------------------------------------------------------ checking the source

    /** A conversation ready to write: its messages in append order, each with its parent's index. */
    record PlannedConversation(SourceData.Conversation conversation, List<SourceData.Message> messages,
                               int[] parents, int leaf) {
    }

    record Plan(List<PlannedConversation> conversations, long messages) {
    }

    private Plan plan(SourceData data) {
        Problems problems = data.problems;
        Set<String> seenConversations = new HashSet<>();
        List<PlannedConversation> planned = new ArrayList<>();
        long total = 0;
        for (SourceData.Conversation c : data.conversations) {
            if (!seenConversations.add(c.sourceId())) {
                problems.add("duplicate_conversation", c.sourceId());
                continue;
            }
            PlannedConversation p = planConversation(c, problems);
            planned.add(p);
            total += p.messages().size();
        }
        data.conversations.clear();
        planned.forEach(p -> data.conversations.add(p.conversation()));
        return new Plan(planned, total);
    }

    /**
     * Orders a conversation's messages so that every parent comes before its children and,
     * among the messages ready to go, the oldest goes first: the order an append-only client
     * would have produced. seq is the position in this order, depth follows the parents.
     */
    private PlannedConversation planConversation(SourceData.Conversation c, Problems problems) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<SourceData.Message> messages = new ArrayList<>();
        for (SourceData.Message m : c.messages()) {
            if (index.containsKey(m.sourceId())) {
                problems.add("duplicate_message", c.sourceId() + "/" + m.sourceId());
                continue;
            }
            index.put(m.sourceId(), messages.size());
            messages.add(clean(c, m, problems));
        }
        int n = messages.size();
        int[] parentOf = new int[n];
        List<List<Integer>> children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            children.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            String parent = messages.get(i).parentSourceId();
            Integer p = parent == null ? null : index.get(parent);
            if (parent != null && p == null) {
                problems.add("dangling_parent", c.sourceId() + "/" + messages.get(i).sourceId() + " -> " + parent);
            }
            parentOf[i] = p == null || p == i ? -1 : p;
            if (parentOf[i] >= 0) {
                children.get(parentOf[i]).add(i);
            }
        }
        Comparator<Integer> byTime = Comparator.<Integer, Instant>comparing(i -> messages.get(i).createdAt())
                .thenComparing(i -> i);
        PriorityQueue<Integer> ready = new PriorityQueue<>(byTime);
        for (int i = 0; i < n; i++) {
            if (parentOf[i] < 0) {
                ready.add(i);
            }
        }
        boolean[] placed = new boolean[n];
        List<Integer> order = new ArrayList<>(n);
        while (order.size() < n) {
            if (ready.isEmpty()) {
                // what is left hangs in a cycle of parent links: the oldest becomes a root
                int root = -1;
                for (int i = 0; i < n; i++) {
                    if (!placed[i] && (root < 0 || byTime.compare(i, root) < 0)) {
                        root = i;
                    }
                }
                problems.add("parent_cycle", c.sourceId() + "/" + messages.get(root).sourceId());
                parentOf[root] = -1;
                ready.add(root);
            }
            int next = ready.poll();
            if (placed[next]) {
                continue;
            }
            placed[next] = true;
            order.add(next);
            for (int child : children.get(next)) {
                if (!placed[child] && parentOf[child] == next) {
                    ready.add(child);
                }
            }
        }
        int[] position = new int[n];
        List<SourceData.Message> ordered = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            position[order.get(k)] = k;
            ordered.add(messages.get(order.get(k)));
        }
        int[] parents = new int[n];
        for (int k = 0; k < n; k++) {
            int p = parentOf[order.get(k)];
            parents[k] = p < 0 ? -1 : position[p];
        }
        int leaf = n - 1;
        if (c.leafSourceId() != null) {
            Integer l = index.get(c.leafSourceId());
            if (l == null) {
                problems.add("dangling_leaf", c.sourceId() + " -> " + c.leafSourceId());
            } else {
                leaf = position[l];
            }
        }
        return new PlannedConversation(c, ordered, parents, leaf);
    }

    /** Role and text made storable; each change is a reported problem, the original role kept in metadata. */
    private SourceData.Message clean(SourceData.Conversation c, SourceData.Message m, Problems problems) {
        String where = c.sourceId() + "/" + m.sourceId();
        ObjectNode metadata = m.metadata();
        String role = m.role();
        String toolCallId = m.toolCallId();
        if (!ROLES.contains(role)) {
            problems.add("unknown_role", where + " (" + role + ")");
            metadata = metadata.deepCopy();
            metadata.put("source_role", role);
            role = "assistant";
        }
        if (role.equals("tool") && toolCallId == null) {
            // the source did not say which call this answers; the constraint needs an id
            toolCallId = "import:" + m.sourceId();
            if (toolCallId.length() > 200) {
                toolCallId = toolCallId.substring(0, 200);
            }
        }
        if (!role.equals("tool") && toolCallId != null) {
            metadata = metadata.deepCopy();
            metadata.put("source_tool_call_id", toolCallId);
            toolCallId = null;
        }
        String content = storable(m.content(), "content", where, problems);
        return new SourceData.Message(m.sourceId(), m.parentSourceId(), m.userSourceId(), role, content,
                m.toolCalls(), toolCallId, m.name(), metadata, m.contextUsed(), nonNegative(m.promptTokens()),
                nonNegative(m.completionTokens()), micros(m.createdAt()), m.editedAt() == null ? null
                : micros(m.editedAt()), m.preferredId());
    }

    private static @Nullable Long nonNegative(@Nullable Long value) {
        return value == null || value < 0 ? null : value;
    }

    /** Both databases keep microseconds; the source may have had more. */
    static Instant micros(Instant value) {
        return value.truncatedTo(ChronoUnit.MICROS);
    }

    /** NUL and lone surrogates cannot be stored on PostgreSQL; they become U+FFFD, reported. */
    static String storable(String text, String field, String where, Problems problems) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean bad = ch == '\u0000';
            if (Character.isHighSurrogate(ch)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    if (out != null) {
                        out.append(ch).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
                bad = true;
            } else if (Character.isLowSurrogate(ch)) {
                bad = true;
            }
            if (bad && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : ch);
            }
        }
        if (out == null) {
            return text;
        }
        problems.add(field.equals("content") ? "unstorable_character" : "unstorable_character_" + field, where);
        return out.toString();
    }

    // ------------------------------------------------------------------ writing

    /** The state of one run. */
    private static final class Run {
        final ImportOptions options;
        final String sourceKey;
        final SourceData data;
        final Plan plan;
        final ImportProgress progress;
        final boolean dryRun;
        @Nullable UUID batch;
        final Map<String, UUID> users = new HashMap<>();
        final List<ImportReport.UserMapping> userReport = new ArrayList<>();
        final Map<String, UUID> projects = new HashMap<>();
        final Map<String, UUID> conversations = new HashMap<>();
        final Map<String, UUID> messages = new HashMap<>();
        final Map<String, UUID> files = new HashMap<>();
        final Map<String, long[]> counts = new LinkedHashMap<>();

        Run(ImportOptions options, String sourceKey, SourceData data, Plan plan, ImportProgress progress,
            boolean dryRun) {
            this.options = options;
            this.sourceKey = sourceKey;
            this.data = data;
            this.plan = plan;
            this.progress = progress;
            this.dryRun = dryRun;
            for (String kind : ENTITY_KINDS) {
                counts.put(kind, new long[3]);
            }
        }

        void count(String kind, int column, long n) {
            counts.get(kind)[column] += n;
        }
    }

    private static final int SOURCE = 0;
    private static final int CREATED = 1;
    private static final int SKIPPED = 2;

    private void write(Run run) {
        SourceData data = run.data;
        run.count("user", SOURCE, data.users.size());
        run.count("project", SOURCE, data.projects.size());
        run.count("conversation", SOURCE, data.conversations.size());
        run.count("message", SOURCE, run.plan.messages());
        run.count("file", SOURCE, data.files.size());
        run.count("document", SOURCE, data.documents.size());
        run.count("artifact", SOURCE, data.artifacts.size());
        run.count("log", SOURCE, data.logs.size());
        run.count("task", SOURCE, data.tasks.size());
        resolveUsers(run);
        writeProjects(run);
        writeFiles(run);
        writeConversations(run);
        writeDocuments(run);
        writeArtifacts(run);
        writeLogs(run);
        writeTasks(run);
    }

    private void resolveUsers(Run run) {
        Map<String, UUID> mapped = store.mappings(run.sourceKey, "user");
        for (SourceData.User u : run.data.users) {
            UUID known = mapped.get(u.sourceId());
            if (known != null) {
                run.users.put(u.sourceId(), known);
                run.userReport.add(new ImportReport.UserMapping(u.sourceId(),
                        store.usernameOf(known).orElse(u.username()), known, "already_imported"));
                run.count("user", SKIPPED, 1);
                continue;
            }
            String username = username(u.username());
            if (!username.equals(u.username())) {
                run.data.problems.add("username_changed", u.username() + " -> " + username);
            }
            UUID existing = store.userByUsername(username).orElse(null);
            if (existing != null) {
                run.users.put(u.sourceId(), existing);
                run.userReport.add(new ImportReport.UserMapping(u.sourceId(), username, existing, "existing"));
                if (!run.dryRun) {
                    UUID id = existing;
                    tx.executeWithoutResult(s -> store.map(List.of(
                            ImportStore.row(run.batch, run.sourceKey, "user", u.sourceId(), id, false))));
                }
                run.count("user", SKIPPED, 1);
                continue;
            }
            UUID id = preferred(u.preferredId(), "user");
            run.users.put(u.sourceId(), id);
            run.userReport.add(new ImportReport.UserMapping(u.sourceId(), username, run.dryRun ? null : id,
                    run.dryRun ? "would_create" : "created"));
            run.count("user", CREATED, 1);
            if (!run.dryRun) {
                String hash = passwords.encode(randomPassword());
                String email = u.email() == null ? null : truncate(u.email(), 320);
                String fullName = u.fullName() == null ? null : truncate(u.fullName(), 200);
                Instant created = u.createdAt() == null ? Ids.now() : micros(u.createdAt());
                tx.executeWithoutResult(s -> {
                    store.insertUser(id, username, email, fullName, hash, created);
                    store.map(List.of(ImportStore.row(run.batch, run.sourceKey, "user", u.sourceId(), id, true)));
                });
            }
        }
    }

    /** Parley's username rule: 3–100 of {@code [A-Za-z0-9_.-]}. */
    static String username(String source) {
        String name = USERNAME_CHARS.matcher(source == null ? "" : source.strip()).replaceAll("_");
        if (name.length() < 3) {
            name = (name + "___").substring(0, 3);
        }
        return name.length() > 100 ? name.substring(0, 100) : name;
    }

    private String randomPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private UUID preferred(@Nullable String preferredId, String kind) {
        if (preferredId != null) {
            try {
                UUID id = UUID.fromString(preferredId);
                if (store.taken(kind, List.of(id)).isEmpty()) {
                    return id;
                }
            } catch (IllegalArgumentException notAUuid) {
                // fall through to a fresh id
            }
        }
        return Ids.newId();
    }

    private @Nullable UUID fallbackUser(Run run) {
        if (run.options.owner() != null) {
            return store.userByUsername(run.options.owner()).orElse(null);
        }
        return run.options.createdBy();
    }

    private @Nullable UUID userOf(Run run, @Nullable String sourceId, String what) {
        UUID id = sourceId == null ? null : run.users.get(sourceId);
        if (id == null) {
            if (sourceId != null) {
                run.data.problems.add("dangling_user", what + " -> " + sourceId);
            }
            id = fallbackUser(run);
        }
        return id;
    }

    private void writeProjects(Run run) {
        Map<String, UUID> mapped = store.mappings(run.sourceKey, "project");
        for (SourceData.Project p : run.data.projects) {
            UUID known = mapped.get(p.sourceId());
            if (known != null) {
                run.projects.put(p.sourceId(), known);
                run.count("project", SKIPPED, 1);
                continue;
            }
            UUID owner = userOf(run, p.ownerSourceId(), "project " + p.sourceId());
            if (owner == null) {
                run.data.problems.add("project_without_owner", p.sourceId());
                continue;
            }
            UUID id = run.dryRun ? Ids.newId() : preferred(p.preferredId(), "project");
            run.projects.put(p.sourceId(), id);
            run.count("project", CREATED, 1);
            if (run.dryRun) {
                continue;
            }
            SourceData.Project clean = cleanProject(p, run.data.problems);
            tx.executeWithoutResult(s -> {
                boolean isDefault = clean.isDefault() && !store.userHasDefaultProject(owner);
                store.insertProject(id, owner, clean, isDefault);
                Instant ownerSince = clean.members().stream()
                        .filter(m -> owner.equals(run.users.get(m.userSourceId())) && m.createdAt() != null)
                        .map(m -> micros(m.createdAt())).findFirst().orElse(clean.createdAt());
                store.insertMember(id, owner, "owner", ownerSince);
                for (SourceData.Member m : clean.members()) {
                    UUID user = run.users.get(m.userSourceId());
                    if (user == null) {
                        run.data.problems.add("dangling_member", p.sourceId() + " -> " + m.userSourceId());
                    } else if (!user.equals(owner)) {
                        String role = MEMBER_ROLES.contains(m.role()) ? m.role() : "editor";
                        store.insertMember(id, user, role, m.createdAt() == null ? clean.createdAt() : micros(m.createdAt()));
                    }
                }
                store.map(List.of(ImportStore.row(run.batch, run.sourceKey, "project", p.sourceId(), id, true)));
            });
        }
    }

    private static SourceData.Project cleanProject(SourceData.Project p, Problems problems) {
        String status = STATUSES.contains(p.status()) ? p.status() : "draft";
        if (!status.equals(p.status())) {
            problems.add("unknown_project_status", p.sourceId() + " (" + p.status() + ")");
        }
        String name = p.name() == null || p.name().isBlank() ? "Imported project" : truncate(p.name(), 200);
        return new SourceData.Project(p.sourceId(), p.ownerSourceId(), storable(name, "name", p.sourceId(), problems),
                p.description(), p.goals(), p.customInstructions(),
                p.defaultModel() == null ? null : truncate(p.defaultModel(), 200), status,
                Math.max(1, p.currentVersion()), p.pinned(), p.archived(), p.isDefault(),
                p.maxTokens() > 0 ? p.maxTokens() : 200_000, p.metadata(), micros(p.createdAt()),
                micros(p.updatedAt()), p.members(), p.preferredId());
    }

    private void writeFiles(Run run) {
        Map<String, UUID> mapped = store.mappings(run.sourceKey, "file");
        for (SourceData.File f : run.data.files) {
            UUID known = mapped.get(f.sourceId());
            if (known != null) {
                run.files.put(f.sourceId(), known);
                run.count("file", SKIPPED, 1);
                continue;
            }
            UUID user = userOf(run, f.userSourceId(), "file " + f.sourceId());
            UUID project = f.projectSourceId() == null ? null : run.projects.get(f.projectSourceId());
            if (user == null || (f.projectSourceId() != null && project == null)) {
                run.data.problems.add("orphan_file", f.sourceId());
                continue;
            }
            UUID id = run.dryRun ? Ids.newId() : preferred(f.preferredId(), "file");
            run.files.put(f.sourceId(), id);
            run.count("file", CREATED, 1);
            if (run.dryRun) {
                continue;
            }
            SourceData.File clean = new SourceData.File(f.sourceId(), f.projectSourceId(), f.userSourceId(),
                    truncate(f.filename(), 255), PURPOSES.contains(f.purpose()) ? f.purpose() : "attachment",
                    truncate(f.mediaType(), 255), Math.max(1, f.version()), f.orderIndex(), f.metadata(),
                    micros(f.createdAt()), f.bytes(), f.declaredSize(), f.externalLocation(), f.preferredId());
            // an external file's bytes stay at its location: Parley stores none of them, and its row
            // points at the blob of no bytes (the column references blobs) with the declared size
            boolean external = f.externalLocation() != null;
            StoredBlob blob = storeBytes(f.sourceId(), external ? null : f.bytes());
            long size = external ? Math.max(0, f.declaredSize()) : blob.size();
            try {
                tx.executeWithoutResult(s -> {
                    store.upsertBlob(blob.sha256(), blob.size(), Ids.now());
                    store.insertFile(id, project, user, clean, blob.sha256(), size);
                    store.map(List.of(ImportStore.row(run.batch, run.sourceKey, "file", f.sourceId(), id, true)));
                });
            } catch (RuntimeException e) {
                run.files.remove(f.sourceId());
                run.count("file", CREATED, -1);
                run.data.problems.add("file_failed", f.sourceId() + ": " + e.getMessage());
            }
        }
    }

    /** The bytes, durable at their address before the record that names them is written. */
    private StoredBlob storeBytes(String sourceId, SourceData.@Nullable Bytes bytes) {
        try (InputStream in = bytes == null ? InputStream.nullInputStream() : bytes.open()) {
            StoredBlob blob = blobs.put(in, Long.MAX_VALUE);
            blobs.commit(blob);
            return blob;
        } catch (IOException e) {
            throw new IllegalStateException("cannot store the bytes of file " + sourceId + ": " + e.getMessage(), e);
        }
    }

    private void writeConversations(Run run) {
        Map<String, UUID> mapped = store.mappings(run.sourceKey, "conversation");
        Map<String, UUID> mappedMessages = store.mappings(run.sourceKey, "message");
        long total = run.plan.messages();
        long done = 0;
        run.progress.phase("conversations");
        for (PlannedConversation p : run.plan.conversations()) {
            SourceData.Conversation c = p.conversation();
            UUID known = mapped.get(c.sourceId());
            if (known != null) {
                run.conversations.put(c.sourceId(), known);
                for (SourceData.Message m : p.messages()) {
                    UUID id = mappedMessages.get(m.sourceId());
                    if (id != null) {
                        run.messages.put(m.sourceId(), id);
                    }
                }
                run.count("conversation", SKIPPED, 1);
                run.count("message", SKIPPED, p.messages().size());
                done += p.messages().size();
                run.progress.rows(done, total);
                continue;
            }
            UUID user = userOf(run, c.userSourceId(), "conversation " + c.sourceId());
            UUID project = c.projectSourceId() == null ? run.options.projectId() : run.projects.get(c.projectSourceId());
            if (user == null || (c.projectSourceId() != null && project == null)) {
                run.data.problems.add("orphan_conversation", c.sourceId());
                continue;
            }
            try {
                writeConversation(run, p, user, project);
                run.count("conversation", CREATED, 1);
                run.count("message", CREATED, p.messages().size());
            } catch (RuntimeException e) {
                log.warn("conversation {} failed", c.sourceId(), e);
                run.data.problems.add("conversation_failed", c.sourceId() + ": " + e.getMessage());
            }
            done += p.messages().size();
            run.progress.rows(done, total);
        }
    }

    private void writeConversation(Run run, PlannedConversation p, UUID user, @Nullable UUID project) {
        SourceData.Conversation c = p.conversation();
        List<SourceData.Message> messages = p.messages();
        UUID id = run.dryRun ? Ids.newId() : preferred(c.preferredId(), "conversation");
        List<UUID> ids = new ArrayList<>(messages.size());
        List<UUID> preferred = new ArrayList<>();
        for (SourceData.Message m : messages) {
            UUID pref = parseUuid(m.preferredId());
            if (pref != null) {
                preferred.add(pref);
            }
        }
        Set<UUID> taken = run.dryRun || preferred.isEmpty() ? Set.of() : store.taken("message", preferred);
        Set<UUID> used = new HashSet<>();
        for (SourceData.Message m : messages) {
            UUID pref = parseUuid(m.preferredId());
            ids.add(pref != null && !taken.contains(pref) && used.add(pref) ? pref : Ids.newId());
        }
        for (int k = 0; k < messages.size(); k++) {
            run.messages.put(messages.get(k).sourceId(), ids.get(k));
        }
        run.conversations.put(c.sourceId(), id);
        if (run.dryRun) {
            return;
        }
        List<MessagesRecord> records = new ArrayList<>(messages.size());
        List<ImportRowsRecord> rows = new ArrayList<>(messages.size() + 1);
        rows.add(ImportStore.row(run.batch, run.sourceKey, "conversation", c.sourceId(), id, true));
        long[] depth = new long[messages.size()];
        long usage = 0;
        Instant last = null;
        for (int k = 0; k < messages.size(); k++) {
            SourceData.Message m = messages.get(k);
            int parent = p.parents()[k];
            depth[k] = parent < 0 ? 1 : depth[parent] + 1;
            UUID author = m.userSourceId() == null ? user : run.users.getOrDefault(m.userSourceId(), user);
            MessagesRecord r = new MessagesRecord();
            r.setId(ids.get(k));
            r.setConversationId(id);
            r.setProjectId(project);
            r.setUserId(author);
            r.setParentId(parent < 0 ? null : ids.get(parent));
            r.setSeq((long) k + 1);
            r.setDepth(depth[k]);
            r.setRole(m.role());
            r.setContent(m.content());
            r.setToolCalls(ImportStore.json(m.toolCalls()));
            r.setToolCallId(m.toolCallId());
            r.setName(m.name() == null ? null : truncate(m.name(), 200));
            r.setMetadata(ImportStore.json(m.metadata()));
            r.setContextUsed(ImportStore.json(m.contextUsed()));
            r.setPromptTokens(m.promptTokens());
            r.setCompletionTokens(m.completionTokens());
            r.setCreatedAt(m.createdAt());
            r.setEditedAt(m.editedAt());
            records.add(r);
            rows.add(ImportStore.row(run.batch, run.sourceKey, "message", m.sourceId(), ids.get(k), true));
            usage += (m.promptTokens() == null ? 0 : m.promptTokens())
                    + (m.completionTokens() == null ? 0 : m.completionTokens());
            last = last == null || m.createdAt().isAfter(last) ? m.createdAt() : last;
        }
        Instant lastMessageAt = last;
        long tokens = usage;
        SourceData.Conversation clean = new SourceData.Conversation(c.sourceId(), c.projectSourceId(),
                c.userSourceId(), truncate(storable(c.title() == null || c.title().isBlank() ? "New Chat" : c.title(),
                "title", c.sourceId(), run.data.problems), 200),
                c.modelId() == null ? null : truncate(c.modelId(), 200), false, c.metadata(),
                c.deletedAt() == null ? null : micros(c.deletedAt()), micros(c.createdAt()), micros(c.updatedAt()),
                null, List.of(), null);
        tx.executeWithoutResult(s -> {
            store.insertConversation(id, project, user, clean, records.size(), lastMessageAt);
            store.insertMessages(records);
            if (!records.isEmpty()) {
                store.setLeaf(id, ids.get(p.leaf()));
            }
            if (project != null) {
                // the same rule as an append: recorded usage counts against the project's budget
                store.addTokenUsage(project, tokens);
            }
            store.map(rows);
        });
    }

    private static @Nullable UUID parseUuid(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void writeDocuments(Run run) {
        Map<String, UUID> mapped = store.mappings(run.sourceKey, "document");
        for (SourceData.DocumentLink d : run.data.documents) {
            String key = d.conversationSourceId() + "|" + d.fileSourceId();
            if (mapped.containsKey(key)) {
                run.count("document", SKIPPED, 1);
                continue;
            }
            UUID conversation = run.conversations.get(d.conversationSourceId());
            UUID file = run.files.get(d.fileSourceId());
            UUID user = userOf(run, d.userSourceId(), "document " + key);
            if (conversation == null || file == null || user == null) {
                run.data.problems.add("dangling_document", key);
                continue;
            }
            run.count("document", CREATED, 1);
            if (!run.dryRun) {
                tx.executeWithoutResult(s -> {
                    store.insertDocument(conversation, file, user, micros(d.createdAt()));
                    store.map(List.of(ImportStore.row(run.batch, run.sourceKey, "document", key, file, true)));
                });
            }
        }
    }

    private void writeArtifacts(Run run) {
        Map<String, UUID> mapped = store.mappings(run.sourceKey, "artifact");
        for (SourceData.Artifact a : run.data.artifacts) {
            if (mapped.containsKey(a.sourceId())) {
                run.count("artifact", SKIPPED, 1);
                continue;
            }
            UUID project = run.projects.get(a.projectSourceId());
            UUID user = userOf(run, a.userSourceId(), "artifact " + a.sourceId());
            if (project == null || user == null || a.versions().isEmpty()) {
                run.data.problems.add("orphan_artifact", a.sourceId());
                continue;
            }
            UUID conversation = a.conversationSourceId() == null ? null : run.conversations.get(a.conversationSourceId());
            UUID message = a.messageSourceId() == null ? null : run.messages.get(a.messageSourceId());
            if ((a.conversationSourceId() != null && conversation == null)
                    || (a.messageSourceId() != null && message == null)) {
                run.data.problems.add("dangling_artifact_link", a.sourceId());
            }
            run.count("artifact", CREATED, 1);
            if (run.dryRun) {
                continue;
            }
            UUID id = preferred(a.preferredId(), "artifact");
            String kind = KINDS.contains(a.kind()) ? a.kind() : "document";
            if (!kind.equals(a.kind())) {
                run.data.problems.add("unknown_artifact_kind", a.sourceId() + " (" + a.kind() + ")");
            }
            SourceData.Artifact clean = new SourceData.Artifact(a.sourceId(), a.projectSourceId(), a.userSourceId(),
                    null, null, truncate(a.name() == null || a.name().isBlank() ? "artifact" : a.name(), 200), kind,
                    a.metadata(), micros(a.createdAt()), micros(a.updatedAt()), a.versions(), null);
            int current = a.versions().stream().mapToInt(SourceData.ArtifactVersion::version).max().orElse(1);
            tx.executeWithoutResult(s -> {
                store.insertArtifact(id, project, user, conversation, message, clean, current);
                for (SourceData.ArtifactVersion v : a.versions()) {
                    UUID author = run.users.getOrDefault(v.userSourceId(), user);
                    store.insertArtifactVersion(id, project, author, new SourceData.ArtifactVersion(v.version(),
                            v.userSourceId(), truncate(v.mediaType(), 255),
                            storable(v.content(), "artifact", a.sourceId(), run.data.problems), micros(v.createdAt())));
                }
                store.map(List.of(ImportStore.row(run.batch, run.sourceKey, "artifact", a.sourceId(), id, true)));
            });
        }
    }

    private void writeLogs(Run run) {
        Map<String, UUID> mapped = store.mappings(run.sourceKey, "log");
        for (SourceData.Log l : run.data.logs) {
            if (mapped.containsKey(l.sourceId())) {
                run.count("log", SKIPPED, 1);
                continue;
            }
            UUID project = run.projects.get(l.projectSourceId());
            UUID user = userOf(run, l.userSourceId(), "log " + l.sourceId());
            if (project == null || user == null) {
                run.data.problems.add("orphan_log", l.sourceId());
                continue;
            }
            UUID file = l.fileSourceId() == null ? null : run.files.get(l.fileSourceId());
            if (l.fileSourceId() != null && file == null) {
                run.data.problems.add("dangling_log_file", l.sourceId() + " -> " + l.fileSourceId());
            }
            run.count("log", CREATED, 1);
            if (run.dryRun) {
                continue;
            }
            UUID id = preferred(l.preferredId(), "log");
            String level = LEVELS.contains(l.level()) ? l.level() : "info";
            SourceData.Log clean = new SourceData.Log(l.sourceId(), l.projectSourceId(), l.userSourceId(),
                    Math.max(1, l.version()), level, storable(l.summary(), "summary", l.sourceId(), run.data.problems),
                    l.fileSourceId(), l.metadata(), micros(l.createdAt()), null);
            tx.executeWithoutResult(s -> {
                store.insertLog(id, project, user, file, clean);
                store.map(List.of(ImportStore.row(run.batch, run.sourceKey, "log", l.sourceId(), id, true)));
            });
        }
    }

    private void writeTasks(Run run) {
        Map<String, UUID> mapped = store.mappings(run.sourceKey, "task");
        for (SourceData.Task t : run.data.tasks) {
            if (mapped.containsKey(t.sourceId())) {
                run.count("task", SKIPPED, 1);
                continue;
            }
            UUID user = userOf(run, t.userSourceId(), "task " + t.sourceId());
            if (user == null) {
                run.data.problems.add("orphan_task", t.sourceId());
                continue;
            }
            UUID project = t.projectSourceId() == null ? null : run.projects.get(t.projectSourceId());
            UUID conversation = t.conversationSourceId() == null ? null : run.conversations.get(t.conversationSourceId());
            run.count("task", CREATED, 1);
            if (run.dryRun) {
                continue;
            }
            UUID id = preferred(t.preferredId(), "task");
            SourceData.Task clean = new SourceData.Task(t.sourceId(), t.userSourceId(), null, null,
                    truncate(t.title() == null || t.title().isBlank() ? "Untitled" : t.title(), 200),
                    t.description() == null ? null : truncate(t.description(), 1000), t.completed(),
                    micros(t.createdAt()), micros(t.updatedAt()), null);
            tx.executeWithoutResult(s -> {
                store.insertTask(id, user, project, conversation, clean);
                store.map(List.of(ImportStore.row(run.batch, run.sourceKey, "task", t.sourceId(), id, true)));
            });
        }
    }

    static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }

    // ------------------------------------------------------------------ verification

    /**
     * Counts per entity and a checksum of message contents, source against Parley. The
     * source side counts what the checked source holds; the Parley side counts the rows
     * mapped from this source that exist. The checksum is order-independent: the SHA-256
     * of the sorted SHA-256s of each message's content.
     */
    private ImportReport.Verification verify(Run run) {
        Map<String, ImportReport.Expected> counts = new LinkedHashMap<>();
        boolean ok = true;
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("user", (long) run.data.users.size());
        expected.put("project", (long) run.data.projects.size());
        expected.put("conversation", (long) run.plan.conversations().size());
        expected.put("message", run.plan.messages());
        expected.put("file", (long) run.data.files.size());
        expected.put("document", (long) run.data.documents.size());
        expected.put("artifact", (long) run.data.artifacts.size());
        expected.put("log", (long) run.data.logs.size());
        expected.put("task", (long) run.data.tasks.size());
        for (var e : expected.entrySet()) {
            long actual = store.existingMapped(run.sourceKey, e.getKey());
            counts.put(e.getKey(), new ImportReport.Expected(e.getValue(), actual));
            ok &= actual == e.getValue();
        }
        List<String> sourceHashes = new ArrayList<>();
        for (PlannedConversation p : run.plan.conversations()) {
            for (SourceData.Message m : p.messages()) {
                sourceHashes.add(sha256(m.content()));
            }
        }
        List<String> parleyHashes = new ArrayList<>();
        store.mappedMessageContents(run.sourceKey, content -> parleyHashes.add(sha256(content)));
        String source = combine(sourceHashes);
        String parley = combine(parleyHashes);
        ok &= source.equals(parley);
        return new ImportReport.Verification(ok, counts, source, parley);
    }

    private static String combine(List<String> hashes) {
        hashes.sort(null);
        return sha256(String.join("\n", hashes));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ rollback

    /**
     * Removes exactly the rows the batch created, in one transaction: what depends on other
     * rows first, users last. Users the batch only matched (existing usernames) stay. Token
     * usage of projects that stay is reduced by the usage of the conversations that go.
     */
    private ImportReport rollback(ImportOptions options, long started) {
        UUID batch = options.rollbackBatch();
        String status = store.batchStatus(batch).orElseThrow(() -> new NotFoundException("import batch"));
        if (status.equals("rolled_back")) {
            throw new ValidationException("rollback", "this batch was already rolled back");
        }
        Map<String, ImportReport.Count> counts = new LinkedHashMap<>();
        tx.executeWithoutResult(s -> {
            Map<String, List<UUID>> rows = store.createdRows(batch);
            Function<String, List<UUID>> of = kind -> rows.getOrDefault(kind, List.of());
            counts.put("task", removed(store.delete("task", of.apply("task"))));
            counts.put("log", removed(store.delete("log", of.apply("log"))));
            counts.put("artifact", removed(store.delete("artifact", of.apply("artifact"))));
            List<UUID> conversations = of.apply("conversation");
            Set<UUID> projects = new HashSet<>(of.apply("project"));
            store.usageByProject(conversations).forEach((project, tokens) -> {
                if (!projects.contains(project)) {
                    store.addTokenUsage(project, -tokens);
                }
            });
            counts.put("message", removed(of.apply("message").size()));
            store.flattenConversations(conversations);
            counts.put("conversation", removed(store.delete("conversation", conversations)));
            counts.put("document", removed(of.apply("document").size()));
            Set<String> shas = store.blobsOf(of.apply("file"));
            counts.put("file", removed(store.delete("file", of.apply("file"))));
            // the bytes themselves go with the blob sweeper's next pass, like any unreferenced blob
            shas.forEach(store::deleteBlobIfUnreferenced);
            counts.put("project", removed(store.delete("project", projects)));
            counts.put("user", removed(store.delete("user", of.apply("user"))));
            store.deleteMappings(batch);
        });
        ImportReport report = new ImportReport(batch, options.source().apiValue(), options.location(), "rollback",
                "rolled_back", ImportReport.USER_RULE, List.of(), counts, null, Map.of(),
                (System.nanoTime() - started) / 1_000_000, 0);
        tx.executeWithoutResult(s -> store.finishBatch(batch, "rolled_back", json.valueToTree(report), Ids.now()));
        return report;
    }

    private static ImportReport.Count removed(long n) {
        return new ImportReport.Count(0, 0, 0, n);
    }

    private ImportReport report(Run run, @Nullable UUID batch, String mode, String status,
                                ImportReport.@Nullable Verification verification, long started) {
        Map<String, ImportReport.Count> counts = new LinkedHashMap<>();
        run.counts.forEach((kind, c) -> counts.put(kind, new ImportReport.Count(c[SOURCE], c[CREATED], c[SKIPPED], 0)));
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        double rate = run.dryRun ? 0 : run.counts.get("message")[CREATED] * 1000.0 / millis;
        return new ImportReport(batch, run.options.source().apiValue(), run.options.location(), mode, status,
                ImportReport.USER_RULE, run.userReport, counts, verification, run.data.problems.byKind(), millis,
                Math.round(rate * 10) / 10.0);
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
