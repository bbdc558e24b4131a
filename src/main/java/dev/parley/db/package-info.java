/**
 * jOOQ classes generated at build time from {@code db/migration/postgresql}. Every
 * repository reads the schema through them; nothing here is edited by hand.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.parley.db;

import org.springframework.modulith.ApplicationModule;
