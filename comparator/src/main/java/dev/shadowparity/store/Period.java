package dev.shadowparity.store;

import java.time.Instant;

/**
 * One evidence period: from a start (the first run, or a reset) to the next reset; the newest has no end.
 *
 * @param id        1, 2, ... in order
 * @param startedAt when it began
 * @param endedAt   when a reset ended it; {@code null} for the current period
 */
public record Period(long id, Instant startedAt, Instant endedAt) {}
