package dev.parley.support;

import java.time.Duration;

import dev.parley.support.Api.Session;
import tools.jackson.databind.JsonNode;

/** Waiting for a project's knowledge base to finish indexing, over HTTP, for any test package. */
public final class KnowledgeBaseStatus {

    private KnowledgeBaseStatus() {
    }

    /** Polls until no file waits or is being indexed; answers the knowledge base then. */
    public static JsonNode settled(Api api, Session session, String project, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            JsonNode kb = api.get("/api/v1/projects/" + project + "/knowledge-base", session).json();
            if (!kb.get("status").asString().equals("indexing")) {
                return kb;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the knowledge base is still indexing: " + kb);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
