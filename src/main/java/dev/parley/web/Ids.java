package dev.parley.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * Identity and time for new rows: UUIDv7 ids (time-ordered, so newer rows sort after older
 * ones and an id is a usable keyset key) and UTC instants at millisecond precision, the
 * precision the API shows.
 */
public final class Ids {

    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();
    private static final Clock CLOCK = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));

    private Ids() {
    }

    public static UUID newId() {
        return GENERATOR.generate();
    }

    public static Instant now() {
        return CLOCK.instant();
    }
}
