package dev.shadowparity.report;

import java.time.Instant;

/**
 * What one tap of a fleet contributed to a shared store's period: a fleet report lists every tap, so a tap that
 * stopped writing, or one that sees only part of the traffic, shows.
 *
 * @param tap           the tap id ({@code --tap-id}, the host or pod name by default)
 * @param compared      exchanges it compared
 * @param mismatched    of those, mismatches (as recorded)
 * @param errors        exchanges where a backend failed
 * @param notComparable exchanges it could not judge
 * @param skipped       exchanges it did not compare (not mirrored, dropped, over budget)
 * @param endpoints     endpoints it compared
 * @param lastSeen      when it last wrote (its flushes, or a heartbeat every 30 s while idle); null when unknown
 * @param processes     processes that wrote under this id during the period (a restarted pod keeps its name)
 */
public record TapContribution(String tap, long compared, long mismatched, long errors, long notComparable,
    long skipped, long endpoints, Instant lastSeen, int processes) {}
