/**
 * The context engine: turns a conversation into the messages of the next model call within a
 * token budget — the project's instructions and goals, knowledge-base passages when the
 * conversation uses them (through {@link dev.parley.context.KnowledgePassages}, which the
 * knowledge base implements), then the newest messages of the active branch that fit,
 * counted with the model's real tokenizer. It owns no tables: it reads through the
 * conversation, message and project services.
 */
package dev.parley.context;
