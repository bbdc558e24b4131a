/**
 * What every controller shares: problem-details errors and the exceptions that map to them,
 * keyset pagination (cursors, pages, the {@code limit}/{@code after} parameters), the
 * authenticated {@link dev.parley.web.Caller}, request-size limits, idempotent POSTs and the
 * JSON conventions of the API.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.parley.web;

import org.springframework.modulith.ApplicationModule;
