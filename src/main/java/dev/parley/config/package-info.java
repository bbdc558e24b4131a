/**
 * Instance-wide configuration: the data directory, and the data source that defaults to an
 * embedded SQLite file inside it when no {@code SPRING_DATASOURCE_URL} is given.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.parley.config;

import org.springframework.modulith.ApplicationModule;
