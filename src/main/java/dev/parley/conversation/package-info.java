/**
 * Conversations: who may see and change them (a conversation outside a project belongs to its
 * user alone; inside one, viewers read and editors write), their lists, soft delete, restore
 * and purge, and the per-conversation counter row that numbers and orders message appends.
 * {@link dev.parley.conversation.ConversationService} is the API other modules use to check
 * access to a conversation and to reserve a place for a new message.
 */
package dev.parley.conversation;
