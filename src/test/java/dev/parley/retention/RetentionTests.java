package dev.parley.retention;

import static dev.parley.db.Tables.CONVERSATIONS;
import static dev.parley.db.Tables.IDEMPOTENCY_KEYS;
import static dev.parley.db.Tables.MESSAGES;
import static dev.parley.db.Tables.TASKS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.parley.support.Api;
import dev.parley.support.Api.Session;
import dev.parley.support.ApiTest;
import dev.parley.support.OnPostgres;
import dev.parley.support.OnSqlite;
import dev.parley.web.Ids;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The purge, run directly rather than waiting for its schedule. Rows are written with jOOQ:
 * the conversation and idempotency routes live on other branches, and only SQL can date a
 * deletion weeks back.
 */
abstract class RetentionTests extends ApiTest {

    private static final Duration DAY = Duration.ofDays(1);

    @Autowired
    DSLContext dsl;

    @Autowired
    RetentionService retention;

    @Autowired
    RetentionProperties properties;

    @Test
    void theDefaultsAreThirtyDaysForDeletedConversationsAndADayForIdempotencyKeys() {
        assertThat(properties.deletedConversations()).isEqualTo(Duration.ofDays(30));
        assertThat(properties.idempotencyKeys()).isEqualTo(Duration.ofHours(24));
        assertThat(properties.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(properties.batchSize()).isEqualTo(100);
    }

    @Test
    void conversationsDeletedLongerThanTheRetentionGoWithTheirMessages() {
        Session alice = api.newUser("alice");
        String project = api.post("/api/v1/projects", alice, Api.object("name", "Kept")).json().get("id").asString();
        Instant now = Ids.now();
        UUID old = conversation(alice.userId(), null, now.minus(DAY.multipliedBy(31)));
        UUID oldInProject = conversation(alice.userId(), UUID.fromString(project), now.minus(DAY.multipliedBy(90)));
        UUID recent = conversation(alice.userId(), null, now.minus(DAY.multipliedBy(29)));
        UUID live = conversation(alice.userId(), null, null);
        List<UUID> oldMessages = new ArrayList<>(branchedMessages(old, alice.userId()));
        oldMessages.addAll(branchedMessages(oldInProject, alice.userId()));
        List<UUID> keptMessages = new ArrayList<>(branchedMessages(recent, alice.userId()));
        keptMessages.addAll(branchedMessages(live, alice.userId()));
        String task = api.post("/api/v1/tasks", alice, Api.object("title", "From an old chat", "conversation_id", live))
                .json().get("id").asString();
        dsl.update(TASKS).set(TASKS.CONVERSATION_ID, old).where(TASKS.ID.eq(UUID.fromString(task))).execute();

        retention.purge();

        assertThat(conversationsAmong(old, oldInProject, recent, live)).containsExactlyInAnyOrder(recent, live);
        assertThat(dsl.fetchCount(MESSAGES, MESSAGES.ID.in(oldMessages))).isZero();
        assertThat(dsl.fetchCount(MESSAGES, MESSAGES.ID.in(keptMessages))).isEqualTo(keptMessages.size());
        // what pointed at the purged conversation stays, without the link
        assertThat(api.get("/api/v1/tasks/" + task, alice).json().get("conversation_id").isNull()).isTrue();
        assertThat(api.get("/api/v1/projects/" + project, alice).status()).isEqualTo(200);
    }

    @Test
    void thePurgeWorksThroughManyBatches() {
        Session alice = api.newUser("alice");
        Instant longAgo = Ids.now().minus(DAY.multipliedBy(400));
        List<UUID> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = conversation(alice.userId(), null, longAgo.plusSeconds(i));
            branchedMessages(id, alice.userId());
            old.add(id);
        }
        UUID younger = conversation(alice.userId(), null, longAgo.plus(DAY.multipliedBy(2)));

        long purged = retention.purgeDeletedConversations(longAgo.plus(DAY), 2);

        assertThat(purged).isGreaterThanOrEqualTo(5);
        assertThat(conversationsAmong(old.toArray(UUID[]::new))).isEmpty();
        assertThat(conversationsAmong(younger)).containsExactly(younger);
        assertThat(retention.purgeDeletedConversations(longAgo.plus(DAY), 2)).isZero();
    }

    @Test
    void idempotencyKeysOlderThanTheirRetentionAreDropped() {
        Session alice = api.newUser("alice");
        Instant now = Ids.now();
        String expired = idempotencyKey(alice.userId(), now.minus(Duration.ofHours(25)));
        String alsoExpired = idempotencyKey(alice.userId(), now.minus(DAY.multipliedBy(10)));
        String fresh = idempotencyKey(alice.userId(), now.minus(Duration.ofHours(23)));

        retention.purge();

        assertThat(dsl.select(IDEMPOTENCY_KEYS.IDEM_KEY).from(IDEMPOTENCY_KEYS)
                .where(IDEMPOTENCY_KEYS.USER_ID.eq(alice.userId()))
                .fetch(IDEMPOTENCY_KEYS.IDEM_KEY)).containsExactly(fresh).doesNotContain(expired, alsoExpired);
    }

    @Test
    void aSecondPurgeFindsNothingOfItsOwnLeft() {
        Session alice = api.newUser("alice");
        UUID old = conversation(alice.userId(), null, Ids.now().minus(DAY.multipliedBy(60)));
        idempotencyKey(alice.userId(), Ids.now().minus(DAY.multipliedBy(2)));
        retention.purge();
        assertThat(conversationsAmong(old)).isEmpty();
        RetentionService.Report again = retention.purge();
        assertThat(again).isEqualTo(new RetentionService.Report(0, 0));
    }

    private List<UUID> conversationsAmong(UUID... ids) {
        return dsl.select(CONVERSATIONS.ID).from(CONVERSATIONS).where(CONVERSATIONS.ID.in(ids))
                .fetch(CONVERSATIONS.ID);
    }

    private UUID conversation(UUID userId, UUID projectId, Instant deletedAt) {
        UUID id = Ids.newId();
        Instant created = deletedAt == null ? Ids.now() : deletedAt.minus(DAY);
        dsl.insertInto(CONVERSATIONS)
                .set(CONVERSATIONS.ID, id)
                .set(CONVERSATIONS.USER_ID, userId)
                .set(CONVERSATIONS.PROJECT_ID, projectId)
                .set(CONVERSATIONS.TITLE, "New Chat")
                .set(CONVERSATIONS.DELETED_AT, deletedAt)
                .set(CONVERSATIONS.CREATED_AT, created)
                .set(CONVERSATIONS.UPDATED_AT, created)
                .execute();
        return id;
    }

    /** Three messages, the last two branching from the first, the leaf on the second branch. */
    private List<UUID> branchedMessages(UUID conversationId, UUID userId) {
        UUID root = message(conversationId, userId, null, 1);
        UUID first = message(conversationId, userId, root, 2);
        UUID leaf = message(conversationId, userId, root, 3);
        dsl.update(CONVERSATIONS)
                .set(CONVERSATIONS.SEQ_COUNTER, 3L)
                .set(CONVERSATIONS.MESSAGE_COUNT, 3)
                .set(CONVERSATIONS.CURRENT_LEAF_ID, leaf)
                .where(CONVERSATIONS.ID.eq(conversationId))
                .execute();
        return List.of(root, first, leaf);
    }

    private UUID message(UUID conversationId, UUID userId, UUID parentId, long seq) {
        UUID id = Ids.newId();
        dsl.insertInto(MESSAGES)
                .set(MESSAGES.ID, id)
                .set(MESSAGES.CONVERSATION_ID, conversationId)
                .set(MESSAGES.USER_ID, userId)
                .set(MESSAGES.PARENT_ID, parentId)
                .set(MESSAGES.SEQ, seq)
                .set(MESSAGES.ROLE, seq % 2 == 1 ? "user" : "assistant")
                .set(MESSAGES.CONTENT, "message " + seq)
                .set(MESSAGES.CREATED_AT, Ids.now())
                .execute();
        return id;
    }

    private String idempotencyKey(UUID userId, Instant createdAt) {
        String key = UUID.randomUUID().toString();
        dsl.insertInto(IDEMPOTENCY_KEYS)
                .set(IDEMPOTENCY_KEYS.SCOPE, "user:" + userId)
                .set(IDEMPOTENCY_KEYS.USER_ID, userId)
                .set(IDEMPOTENCY_KEYS.IDEM_KEY, key)
                .set(IDEMPOTENCY_KEYS.METHOD, "POST")
                .set(IDEMPOTENCY_KEYS.PATH, "/api/v1/tasks")
                .set(IDEMPOTENCY_KEYS.REQUEST_HASH, "0".repeat(64))
                .set(IDEMPOTENCY_KEYS.STATUS, 201)
                .set(IDEMPOTENCY_KEYS.CREATED_AT, createdAt)
                .execute();
        return key;
    }

    @OnSqlite
    static class OnSqliteTest extends RetentionTests {
    }

    @OnPostgres
    static class OnPostgresTest extends RetentionTests {
    }
}
