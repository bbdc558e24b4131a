package dev.parley.web;

import java.util.List;
import java.util.function.Function;

/**
 * A page of a keyset-paginated list, in the API's list shape
 * {@code {data, has_more, next_cursor}}.
 */
public record Page<T>(List<T> data, boolean hasMore, String nextCursor) {

    /**
     * Makes a page from rows fetched with {@link PageRequest#fetchSize()}: the extra row only
     * says that more exist, and the cursor points after the last row kept.
     */
    public static <T> Page<T> of(List<T> fetched, PageRequest request, Function<T, Cursor> keyOf) {
        boolean more = fetched.size() > request.limit();
        List<T> rows = more ? fetched.subList(0, request.limit()) : fetched;
        String next = more && !rows.isEmpty() ? keyOf.apply(rows.getLast()).encode() : null;
        return new Page<>(List.copyOf(rows), more, next);
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(data.stream().map(mapper).toList(), hasMore, nextCursor);
    }
}
