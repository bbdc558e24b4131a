/** Liveness of the instance: {@code GET /api/v1/health} checks the database and the data directory. */
package dev.parley.health;
