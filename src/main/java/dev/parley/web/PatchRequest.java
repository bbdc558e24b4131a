package dev.parley.web;

import java.util.Set;

/**
 * A PATCH body that tells a member set to {@code null} (clear it) from a member left out (keep
 * it), which a record alone cannot: after binding, {@link PatchRequests} hands the record the
 * JSON names of the members that were {@code null}; only {@link Clearable} members (and
 * free-form JSON ones, where it means "unchanged") may be.
 *
 * @param <T> the record itself
 */
public interface PatchRequest<T extends PatchRequest<T>> {

    /** The JSON names of the members the body set to {@code null}; empty when none, never null once bound. */
    Set<String> nulls();

    /** This request, knowing which members were {@code null}. */
    T withNulls(Set<String> nulls);

    /** Whether the body set {@code field} (its JSON name) to {@code null}. */
    default boolean clears(String field) {
        return nulls() != null && nulls().contains(field);
    }
}
