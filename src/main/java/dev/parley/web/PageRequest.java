package dev.parley.web;

import java.util.Optional;

/**
 * {@code ?limit=&after=} of a list route, checked: limit 1–100 (default 20), after a cursor
 * from an earlier page. Controllers declare it as a parameter and it is resolved for them.
 */
public record PageRequest(int limit, Optional<Cursor> after) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public static PageRequest first(int limit) {
        return new PageRequest(limit, Optional.empty());
    }

    /** How many rows to fetch: one more than the page, to learn whether there is more. */
    public int fetchSize() {
        return limit + 1;
    }
}
