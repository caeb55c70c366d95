package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.engine.Cause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One difference (field, kind and likely cause) and the endpoints it occurs on: the same eight header differences on
 * fourteen endpoints are eight things to triage, not a hundred and twelve. Made from the endpoints' field counts,
 * which leave out noise and accepted differences.
 *
 * @param field     the field key ({@code header:access-control-allow-origin}, {@code /id})
 * @param kind      the kind of difference
 * @param cause     the likely cause where the endpoints agree on one, else absent
 * @param endpoints the endpoints it occurs on, most mismatches first
 * @param count     the mismatching exchanges it occurs in, summed over those endpoints
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"field", "kind", "cause", "count", "endpoints"})
public record DifferenceGroup(String field, String kind, Cause cause, long count, List<String> endpoints) {

  /** Groups shown at most; the rest are in the endpoints' field lists. */
  public static final int MAX_GROUPS = 50;

  public DifferenceGroup {
    endpoints = List.copyOf(endpoints);
  }

  /** The groups of a report's endpoints, on most endpoints first, then most exchanges, then by field. */
  public static List<DifferenceGroup> of(List<EndpointReport> endpoints) {
    record Key(String field, String kind) {}
    Map<Key, List<EndpointReport.FieldCount>> counts = new TreeMap<>(Comparator.comparing(Key::field).thenComparing(Key::kind));
    Map<Key, List<String>> names = new java.util.HashMap<>();
    for (EndpointReport e : endpoints) {
      for (EndpointReport.FieldCount f : e.fields()) {
        Key k = new Key(f.field(), f.kind());
        counts.computeIfAbsent(k, x -> new ArrayList<>()).add(f);
        names.computeIfAbsent(k, x -> new ArrayList<>()).add(e.endpoint());
      }
    }
    List<DifferenceGroup> groups = new ArrayList<>(counts.size());
    counts.forEach((k, fs) -> {
      long total = 0;
      Cause cause = fs.get(0).cause();
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        total += fs.get(i).count();
        cause = Objects.equals(cause, fs.get(i).cause()) ? cause : null;
        order.add(i);
      }
      order.sort(Comparator.comparingLong((Integer i) -> fs.get(i).count()).reversed());
      List<String> on = order.stream().map(names.get(k)::get).toList();
      groups.add(new DifferenceGroup(k.field(), k.kind(), cause, total, on));
    });
    groups.sort(Comparator.comparingInt((DifferenceGroup g) -> g.endpoints().size()).reversed()
        .thenComparing(Comparator.comparingLong(DifferenceGroup::count).reversed())
        .thenComparing(DifferenceGroup::field).thenComparing(DifferenceGroup::kind));
    return groups.size() > MAX_GROUPS ? List.copyOf(groups.subList(0, MAX_GROUPS)) : groups;
  }
}
