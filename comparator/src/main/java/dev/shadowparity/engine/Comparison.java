package dev.shadowparity.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The result of comparing OLD's and NEW's responses to one request.
 *
 * @param differences what differs after normalization, empty on a match
 * @param truncated   whether more differences were found than {@link CompareOptions#getMaxDifferences()} keeps
 * @param oldBody     OLD's decoded body
 * @param newBody     NEW's decoded body
 */
public record Comparison(List<Difference> differences, boolean truncated, DecodedBody oldBody, DecodedBody newBody) {

  public Comparison {
    differences = List.copyOf(differences);
  }

  public boolean match() {
    return differences.isEmpty();
  }

  /** The distinct field keys that differ, in order of first appearance; what the ledger counts. */
  public Set<String> fields() {
    Set<String> fields = new LinkedHashSet<>();
    for (Difference d : differences) {
      fields.add(d.field());
    }
    return fields;
  }
}
