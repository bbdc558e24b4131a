package dev.parley.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The server's background work — the scheduled retention runs, the token and blob sweeps and
 * the knowledge-base indexer — runs unless {@value #ENABLED} is {@code false}. The import
 * command turns it off: a one-shot process beside a server on the same database must not
 * purge, sweep or index. (With it on, the retention run removed imported processing logs older
 * than its 90 days while the import was still verifying them.)
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = BackgroundWork.ENABLED, havingValue = "true", matchIfMissing = true)
public class BackgroundWork {

    public static final String ENABLED = "parley.background.enabled";
}
