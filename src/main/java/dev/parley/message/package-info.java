/**
 * Messages: the tree of a conversation (each message has a parent, the conversation's leaf
 * marks the active branch), O(1) ordered appends numbered by the conversation's counter row,
 * batch appends, edits, sub-branch deletes, the full listing in append order, the last N of
 * the active branch by a bounded walk up the tree, and a project's history across its
 * conversations. Recorded model usage is added to the project's token budget.
 */
package dev.parley.message;
