package dev.parley.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was wrong with the source, by kind: a count and the first few examples of each, so a
 * report stays short however bad the data is.
 */
public final class Problems {

    /** Examples kept per kind. */
    static final int EXAMPLES = 20;

    public record Kind(long count, List<String> examples) {
    }

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, List<String>> examples = new LinkedHashMap<>();

    public synchronized void add(String kind, String example) {
        counts.merge(kind, 1L, Long::sum);
        List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(example);
        }
    }

    public synchronized long count(String kind) {
        return counts.getOrDefault(kind, 0L);
    }

    public synchronized long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized Map<String, Kind> byKind() {
        Map<String, Kind> result = new LinkedHashMap<>();
        counts.forEach((kind, count) -> result.put(kind, new Kind(count, List.copyOf(examples.get(kind)))));
        return result;
    }
}
