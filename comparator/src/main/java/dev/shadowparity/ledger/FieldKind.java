package dev.shadowparity.ledger;

import java.util.Comparator;
import java.util.Objects;

/**
 * A field key and a kind of difference there ({@code /price}, {@code value}): what the ledger counts mismatches
 * by, and what a set of differences of one exchange (its signature) is made of.
 */
record FieldKind(String field, String kind) implements Comparable<FieldKind> {

  private static final Comparator<FieldKind> ORDER = Comparator.comparing(FieldKind::field).thenComparing(FieldKind::kind);

  FieldKind {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(kind, "kind");
  }

  @Override
  public int compareTo(FieldKind o) {
    return ORDER.compare(this, o);
  }
}
