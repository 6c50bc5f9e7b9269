package dev.bastion.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves forward, to cross a token's expiry or a refresh time without waiting. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /** A clock at {@code 2026-01-01T10:00:00Z}. */
    public MutableClock() {
        this(Instant.parse("2026-01-01T10:00:00Z"));
    }

    public MutableClock(Instant start) {
        this.now = requireNonNull(start, "start is null");
    }

    public void advance(Duration duration) {
        now = now.plus(requireNonNull(duration, "duration is null"));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
