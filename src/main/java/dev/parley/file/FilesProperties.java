package dev.parley.file;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxSize       the largest upload accepted ({@code PARLEY_FILES_MAXSIZE}); larger is 413
 * @param sweepGrace    how old unreferenced bytes or temporary uploads must be before the
 *                      sweep removes them (an upload in progress is younger)
 * @param sweepInterval the pause between two sweeps
 */
@ConfigurationProperties("parley.files")
public record FilesProperties(@DefaultValue("100MB") DataSize maxSize,
                              @DefaultValue("1h") Duration sweepGrace,
                              @DefaultValue("1h") Duration sweepInterval) {
}
