package dev.parley.web;

import java.util.Set;

/**
 * A PATCH body that tells a member set to {@code null} (clear it) from a member left out (keep
 * it), which a record alone cannot: after binding, {@link PatchRequests} hands the record the
 * JSON names of the members that were {@code null}.
 *
 * @param <T> the record itself
 */
public interface PatchRequest<T extends PatchRequest<T>> {

    /** The JSON names of the members the body set to {@code null}; empty when none, never null once bound. */
    Set<String> nulls();

    /**
     * The JSON names of the members that may be {@code null}: those it clears, and free-form
     * ones where {@code null} means "unchanged". Any other member set to {@code null} is refused.
     */
    Set<String> nullable();

    /** This request, knowing which members were {@code null}. */
    T withNulls(Set<String> nulls);

    /** Whether the body set {@code field} (its JSON name) to {@code null}. */
    default boolean clears(String field) {
        return nulls() != null && nulls().contains(field);
    }
}
