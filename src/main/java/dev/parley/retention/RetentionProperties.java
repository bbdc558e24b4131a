package dev.parley.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param deletedConversations how long a soft-deleted conversation stays restorable before it
 *                             is purged ({@code PARLEY_RETENTION_DELETEDCONVERSATIONS})
 * @param idempotencyKeys      how long the first answer to an {@code Idempotency-Key} is kept
 *                             for retries; the API promises at least 24 h
 * @param interval             the pause between two purge runs
 * @param initialDelay         the pause after start before the first run, so that start-up is not
 *                             slowed by it
 * @param batchSize            rows deleted per transaction
 */
@ConfigurationProperties("parley.retention")
public record RetentionProperties(@DefaultValue("30d") Duration deletedConversations,
                                  @DefaultValue("24h") Duration idempotencyKeys,
                                  @DefaultValue("1h") Duration interval,
                                  @DefaultValue("1m") Duration initialDelay,
                                  @DefaultValue("100") int batchSize) {

    public RetentionProperties {
        if (batchSize < 1) {
            throw new IllegalArgumentException("parley.retention.batch-size must be at least 1");
        }
    }
}
