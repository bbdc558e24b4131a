package dev.parley.log;

import java.time.Duration;
import java.time.Instant;

import dev.parley.web.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Forgets processing logs older than {@code parley.retention.logs} (default 90 days), on the
 * retention schedule ({@code parley.retention.interval}) and on demand, in batches of short
 * transactions. Running it twice or on several instances at once is harmless.
 */
@Component
public class LogRetention {

    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);

    private final LogRepository logs;
    private final Duration keep;
    private final int batchSize;

    LogRetention(LogRepository logs, @Value("${parley.retention.logs:90d}") Duration keep,
                 @Value("${parley.retention.batch-size:100}") int batchSize) {
        this.logs = logs;
        this.keep = keep;
        this.batchSize = Math.max(1, batchSize);
    }

    @Scheduled(initialDelayString = "${parley.retention.initial-delay:1m}",
            fixedDelayString = "${parley.retention.interval:1h}")
    void scheduled() {
        try {
            long purged = purge();
            if (purged > 0) {
                log.info("retention purged {} processing logs", purged);
            }
        } catch (RuntimeException e) {
            log.warn("processing log retention failed: {}", e.toString());
        }
    }

    /** Removes every log older than the retention period now; how many went. */
    public long purge() {
        return purgeBefore(Ids.now().minus(keep));
    }

    /** Removes every log made before {@code cutoff}; how many went. */
    public long purgeBefore(Instant cutoff) {
        long total = 0;
        for (int deleted = logs.purge(cutoff, batchSize); deleted > 0; deleted = logs.purge(cutoff, batchSize)) {
            total += deleted;
        }
        return total;
    }
}
