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
 * @param notCompared parts of the answers this comparison left out ({@link Unrecorded#STREAM_TAIL}: a gRPC stream past
 *                    its cap), reported per endpoint as not compared, never taken for equal
 */
public record Comparison(List<Difference> differences, boolean truncated, DecodedBody oldBody, DecodedBody newBody,
    Set<Unrecorded> notCompared) {

  public Comparison {
    differences = List.copyOf(differences);
    notCompared = notCompared == null ? Set.of() : Set.copyOf(notCompared);
  }

  public Comparison(List<Difference> differences, boolean truncated, DecodedBody oldBody, DecodedBody newBody) {
    this(differences, truncated, oldBody, newBody, Set.of());
  }

  /** This comparison with other differences, the rest (bodies, the parts not compared) kept. */
  public Comparison withDifferences(List<Difference> others) {
    return new Comparison(others, truncated, oldBody, newBody, notCompared);
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
