package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A field of an endpoint and the evidence that it is noise (differs between two answers of OLD itself).
 *
 * @param field            the field key ({@code /request_id}, {@code header:x-trace})
 * @param noise            why it is treated as noise now: {@code pinned} (config), {@code learned} (repeated
 *                         identical requests to OLD), {@code secondary} (a second OLD answer); absent when it is
 *                         not (yet) noise
 * @param discounted       exchanges in which its difference was not counted as a mismatch when recorded (noise
 *                         hid it at the time)
 * @param reclassified     recorded mismatches that differed here before the field was known to be noise: their
 *                         difference here is no longer counted (and when it was their only real one, neither are
 *                         they: the endpoint's {@code reclassified}); shown, never silent
 * @param oldDifferences   OLD-vs-OLD comparisons of repeated requests in which it differed
 * @param oldComparisons   OLD-vs-OLD comparisons of repeated requests of the endpoint
 * @param secondaryOld     exchanges with a secondary OLD in which OLD and the secondary differed here
 * @param secondaryNew     of those same exchanges, how many differed here between OLD and NEW
 * @param secondaryTrials  exchanges of the endpoint with a secondary OLD answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"field", "noise", "discounted", "reclassified", "oldDifferences", "oldComparisons", "secondaryOld", "secondaryNew",
    "secondaryTrials"})
public record NoiseField(String field, String noise, long discounted, long reclassified, long oldDifferences, long oldComparisons,
    long secondaryOld, long secondaryNew, long secondaryTrials) {}
