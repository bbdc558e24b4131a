/**
 * Projects and their members: settings, flags (pinned, archived, default), the token budget,
 * and the roles {@code viewer < editor < owner}. {@link dev.parley.project.ProjectService}
 * is also where every other module asks whether a caller may see or change something that
 * belongs to a project.
 */
package dev.parley.project;
