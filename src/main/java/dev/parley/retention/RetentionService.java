package dev.parley.retention;

import java.time.Instant;
import java.util.function.IntSupplier;

import dev.parley.web.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Runs the retention rules on a schedule ({@code parley.retention.interval}) and on demand.
 * Running it twice, or on several instances at once, is harmless: every delete only takes
 * rows that are past their time and still there.
 */
@Service
public class RetentionService {

    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

    private final RetentionRepository repository;
    private final RetentionProperties properties;

    RetentionService(RetentionRepository repository, RetentionProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    /** How many rows one purge removed. */
    public record Report(long conversations, long idempotencyKeys) {
    }

    @Scheduled(initialDelayString = "${parley.retention.initial-delay:1m}",
            fixedDelayString = "${parley.retention.interval:1h}")
    void scheduled() {
        try {
            Report report = purge();
            if (report.conversations() > 0 || report.idempotencyKeys() > 0) {
                log.info("retention purged {} deleted conversations and {} idempotency keys",
                        report.conversations(), report.idempotencyKeys());
            }
        } catch (RuntimeException e) {
            // the next run tries again; a failed run must not stop the schedule
            log.warn("retention purge failed: {}", e.toString());
        }
    }

    /** Purges everything past its retention now, batch by batch, and says how much went. */
    public Report purge() {
        Instant now = Ids.now();
        return new Report(
                purgeDeletedConversations(now.minus(properties.deletedConversations()), properties.batchSize()),
                drain(() -> repository.purgeIdempotencyKeys(now.minus(properties.idempotencyKeys()),
                        properties.batchSize())));
    }

    /** Purges conversations soft-deleted before {@code cutoff}, {@code batchSize} per transaction. */
    long purgeDeletedConversations(Instant cutoff, int batchSize) {
        return drain(() -> repository.purgeDeletedConversations(cutoff, batchSize));
    }

    /** Repeats a batch until one deletes nothing; each batch deletes rows, so this ends. */
    private static long drain(IntSupplier batch) {
        long total = 0;
        for (int deleted = batch.getAsInt(); deleted > 0; deleted = batch.getAsInt()) {
            total += deleted;
        }
        return total;
    }
}
