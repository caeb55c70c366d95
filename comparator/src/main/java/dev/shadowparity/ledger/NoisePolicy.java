package dev.shadowparity.ledger;

import dev.shadowparity.config.NoiseConfig;
import dev.shadowparity.report.NoiseField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * When a field of an endpoint is noise (differs between two answers of OLD itself), from the evidence its
 * {@link EndpointStats} holds and the {@code noise:} config; and the reclassification of recorded mismatches whose
 * fields all became noise afterwards.
 */
final class NoisePolicy {

  /**
   * Fields too coarse to learn as noise: a volatile line in a text body (a CSRF token) or a flaky status would
   * otherwise hide every real difference there. They can still be pinned.
   */
  private static final Set<String> NEVER_LEARNED = Set.of("status", "body", "grpc-status");

  private final NoiseConfig noise;

  NoisePolicy(NoiseConfig noise) {
    this.noise = noise;
  }

  /** Whether a field that differed between OLD and a secondary OLD answer in this very exchange is noise here. */
  boolean noiseHere(String field, Set<String> noiseHere) {
    return noiseHere.contains(field) && !noise.never().contains(field) && !NEVER_LEARNED.contains(field);
  }

  /** Why a field is noise for an endpoint that has no evidence yet: pinned, or not at all. */
  String reasonWithoutEvidence(String field) {
    return noise.never().contains(field) ? null : noise.always().contains(field) ? "pinned" : null;
  }

  /**
   * Marks recorded mismatches whose every differing field is noise now as reclassified, once: noise is learned from
   * evidence that may come after the mismatches it explains. The mark is never undone (should a field stop being
   * noise, later mismatches there count again), so that the count only grows, as the tap's
   * {@code parity_reclassified_total} does. Called after each piece of noise evidence, before each report and
   * before each read of {@link #reclassified}.
   */
  void settle(EndpointStats s) {
    if (s.retired) {
      return; // its period ended and was handed to the store as it was; readers settle the stored counts again
    }
    for (Map.Entry<Set<FieldKind>, EndpointStats.Signature> e : s.mismatchSignatures.entrySet()) {
      EndpointStats.Signature sig = e.getValue();
      long settled = sig.settled.get();
      long count = sig.count.sum();
      if (count > settled && allNoise(s, e.getKey())) {
        sig.settled.compareAndSet(settled, count); // a thread that loses leaves it to the winner, or the next settle
      }
    }
  }

  /** The reclassified mismatches of an endpoint: the sum of what was marked per set of fields, never above the mismatches. */
  static long reclassified(EndpointStats s) {
    long n = 0;
    for (EndpointStats.Signature sig : s.mismatchSignatures.values()) {
      n += sig.settled.get();
    }
    return Math.min(n, s.mismatched.sum());
  }

  private boolean allNoise(EndpointStats s, Set<FieldKind> signature) {
    for (FieldKind fk : signature) {
      if (reason(s, fk.field()) == null) {
        return false;
      }
    }
    return true;
  }

  String reason(EndpointStats s, String field) {
    if (noise.never().contains(field)) {
      return null;
    }
    if (noise.always().contains(field)) {
      return "pinned";
    }
    if (NEVER_LEARNED.contains(field)) {
      return null;
    }
    LongAdder learned = s.oldProbeFields.get(field);
    if (learned != null) {
      long n = learned.sum();
      if (n >= noise.minEvidence() && n >= noise.minRate() * s.oldProbes.sum()) {
        return "learned";
      }
    }
    LongAdder oldOld = s.secondaryOldFields.get(field);
    if (oldOld != null && oldOld.sum() >= noise.minEvidence()) {
      long trials = s.secondaryTrials.sum();
      LongAdder oldNew = s.secondaryNewFields.get(field);
      double oldRate = (double) oldOld.sum() / trials;
      double newRate = oldNew == null ? 0 : (double) oldNew.sum() / trials;
      if (newRate <= oldRate + noise.margin()) {
        return "secondary";
      }
    }
    return null;
  }

  /**
   * @param discounted   per field, exchanges whose difference there was not counted when recorded
   * @param reclassified per field, recorded mismatches taken out of the failures after the fact
   */
  List<NoiseField> fields(EndpointStats s, Map<String, Long> discounted, Map<String, Long> reclassified) {
    Set<String> fields = new java.util.TreeSet<>();
    fields.addAll(s.oldProbeFields.keySet());
    fields.addAll(s.secondaryOldFields.keySet());
    fields.addAll(discounted.keySet());
    fields.addAll(reclassified.keySet());
    List<NoiseField> list = new ArrayList<>(fields.size());
    for (String f : fields) {
      list.add(new NoiseField(f, reason(s, f), discounted.getOrDefault(f, 0L), reclassified.getOrDefault(f, 0L),
          sum(s.oldProbeFields, f), s.oldProbes.sum(),
          sum(s.secondaryOldFields, f), sum(s.secondaryNewFields, f), s.secondaryTrials.sum()));
    }
    return list;
  }

  static long sum(Map<String, LongAdder> map, String key) {
    LongAdder a = map.get(key);
    return a == null ? 0 : a.sum();
  }
}
