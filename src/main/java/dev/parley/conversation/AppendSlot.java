package dev.parley.conversation;

import java.util.UUID;

/**
 * Places reserved for new messages by {@link ConversationService#reserveAppend}: their
 * numbers are {@code firstSeq .. firstSeq + count - 1}, and {@code currentLeafId} is the
 * leaf they attach to unless they name a parent. Valid inside the reserving transaction,
 * which holds the conversation's row lock until it ends. {@code projectId} is the
 * conversation's project as read under that lock (null for a personal conversation);
 * {@code currentLeafDepth} is the leaf's depth (0 when the conversation is empty).
 */
public record AppendSlot(long firstSeq, UUID currentLeafId, UUID projectId, long currentLeafDepth) {
}
