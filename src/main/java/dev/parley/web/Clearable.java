package dev.parley.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a member of a {@link PatchRequest}: {@code null} clears it. A {@code null} for any other
 * member is refused, except for free-form JSON members, where it means "unchanged".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Clearable {
}
