package dev.parley.imports;

import java.util.LinkedHashMap;
import java.util.Map;

/** ChatGPT export documents shaped like the real thing, with the awkward cases in them. */
final class ChatGptExports {

    static final int BRANCHY_MESSAGES = 11;
    static final int MESSAGES = BRANCHY_MESSAGES + 2;
    /** node -> parent node, as the import must rebuild them (the hidden root has no message). */
    static final Map<String, String> BRANCHY_PARENTS = new LinkedHashMap<>();

    static {
        BRANCHY_PARENTS.put("sys", null);
        BRANCHY_PARENTS.put("u1", "sys");
        BRANCHY_PARENTS.put("a1", "u1");
        BRANCHY_PARENTS.put("a1b", "u1");
        BRANCHY_PARENTS.put("u1e", "sys");
        BRANCHY_PARENTS.put("a2", "u1e");
        BRANCHY_PARENTS.put("call", "a1b");
        BRANCHY_PARENTS.put("result", "call");
        BRANCHY_PARENTS.put("final", "result");
        BRANCHY_PARENTS.put("crit", "a1");
        BRANCHY_PARENTS.put("nul", "a1");
    }

    private ChatGptExports() {
    }

    private static final double T0 = 1709287200.0; // 2024-03-01T10:00:00Z

    static String node(String id, String parent, String message, String... children) {
        StringBuilder c = new StringBuilder();
        for (String child : children) {
            c.append(c.isEmpty() ? "" : ",").append('"').append(child).append('"');
        }
        return "\"" + id + "\":{\"id\":\"" + id + "\",\"message\":" + message + ",\"parent\":"
                + (parent == null ? "null" : "\"" + parent + "\"") + ",\"children\":[" + c + "]}";
    }

    static String message(String id, String role, String name, Double time, String content, String recipient,
                          String model) {
        return "{\"id\":\"" + id + "\",\"author\":{\"role\":\"" + role + "\",\"name\":"
                + (name == null ? "null" : "\"" + name + "\"") + ",\"metadata\":{}},\"create_time\":"
                + (time == null ? "null" : String.valueOf(time)) + ",\"update_time\":null,\"content\":" + content
                + ",\"status\":\"finished_successfully\",\"end_turn\":true,\"weight\":1.0,\"metadata\":{"
                + (model == null ? "" : "\"model_slug\":\"" + model + "\"") + "},\"recipient\":\"" + recipient + "\"}";
    }

    static String text(String value) {
        return "{\"content_type\":\"text\",\"parts\":[\"" + value + "\"]}";
    }

    static String branchy() {
        String mapping = String.join(",",
                node("root", null, "null", "sys"),
                node("sys", "root", message("sys", "system", null, null, text(""), "all", null), "u1", "u1e"),
                node("u1", "sys", message("u1", "user", null, T0 + 1.25, text("Hello 👋🏽 — café"), "all", null),
                        "a1", "a1b"),
                node("a1", "u1", message("a1", "assistant", null, T0 + 2, text("First answer"), "all", "gpt-4o"),
                        "crit", "nul"),
                node("crit", "a1", message("crit", "critic", null, T0 + 3, text("meh"), "all", null)),
                node("nul", "a1", message("nul", "user", null, T0 + 3.5, text("before\\u0000after"), "all", null)),
                node("u1e", "sys", message("u1e", "user", null, T0 + 4, text("Hello, edited"), "all", null), "a2"),
                node("a2", "u1e", message("a2", "assistant", null, T0 + 4.5, text("Answer to edit"), "all", "gpt-4o")),
                node("a1b", "u1", message("a1b", "assistant", null, T0 + 5, text("Regenerated answer"), "all",
                        "gpt-4o"), "call"),
                node("call", "a1b", message("call", "assistant", null, T0 + 6,
                        "{\"content_type\":\"code\",\"language\":\"unknown\",\"text\":\"search('gears')\"}", "browser",
                        "gpt-4o"), "result"),
                node("result", "call", message("result", "tool", "browser", T0 + 7,
                        "{\"content_type\":\"tether_browsing_display\",\"result\":\"# gears\\nL0: spur gears\","
                                + "\"summary\":null,\"assets\":[]}", "all", null), "final"),
                node("final", "result", message("final", "assistant", null, T0 + 8, text("Here is what I found"),
                        "all", "gpt-4o")));
        String branchy = "{\"title\":\"Branchy\",\"create_time\":" + T0 + ",\"update_time\":" + (T0 + 8)
                + ",\"mapping\":{" + mapping + "},\"moderation_results\":[],\"current_node\":\"final\","
                + "\"plugin_ids\":null,\"conversation_id\":\"conv-branchy\",\"default_model_slug\":\"gpt-4o\","
                + "\"id\":\"conv-branchy\"}";
        String otherMapping = String.join(",",
                node("o-root", null, "null", "o1"),
                node("o1", "o-root", message("o1", "user", null, T0 + 100, text("Second chat"), "all", null), "o2"),
                node("o2", "o1", message("o2", "assistant", null, T0 + 101, text("Sure"), "all", "gpt-4")));
        String other = "{\"title\":\"Other\",\"create_time\":" + (T0 + 100) + ",\"update_time\":" + (T0 + 101)
                + ",\"mapping\":{" + otherMapping + "},\"current_node\":\"o2\",\"id\":\"conv-other\"}";
        return "[" + branchy + "," + other + "," + other + "]";
    }
}
