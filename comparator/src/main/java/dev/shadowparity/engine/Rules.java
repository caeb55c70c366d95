package dev.shadowparity.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Normalization rules for one comparison: what to ignore and how loosely to compare. Immutable.
 * Global rules and an endpoint's rules are combined with {@link #plus(Rules)}.
 */
public final class Rules {

  /**
   * Headers ignored by default: hop-by-hop headers, transfer details that no longer matter once
   * bodies are decoded, and headers that differ on every response or between two server stacks.
   * The validators are not among them: see {@link #KIND_COMPARED_HEADERS}.
   */
  public static final Set<String> DEFAULT_IGNORED_HEADERS = Set.of(
      // hop-by-hop (RFC 9110 section 7.6.1)
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade",
      // transfer details, compared through the decoded body instead
      "content-length", "content-encoding",
      // volatile per response or per server stack
      "date", "server", "age", "via", "x-powered-by",
      "x-request-id", "x-correlation-id", "x-amzn-trace-id", "traceparent", "tracestate",
      "x-runtime", "x-served-by", "x-cache", "x-cache-hits", "x-timer", "cf-ray");

  /**
   * Headers compared by presence and kind, never by value, unless named in {@code compare-headers}: ETag (strong or
   * weak), Last-Modified and Expires (present or not), Cache-Control (its directive names). Their values differ
   * between two server stacks by design (another hash, another file time), so comparing them would flag every
   * exchange; ignoring them would hide a NEW that lost its ETag, and with it every 304 its clients got.
   */
  public static final Set<String> KIND_COMPARED_HEADERS = Set.of("etag", "last-modified", "expires", "cache-control");

  private static final Rules DEFAULTS = builder().build();

  private final Set<String> ignoredHeaders;
  private final Set<String> comparedHeaders;
  private final List<PointerPattern> ignore;
  private final List<PointerPattern> unordered;
  private final BigDecimal numericTolerance;
  private final boolean foldWhitespace;
  private final boolean compareBodies;
  private final boolean countExtraHeaders;

  private Rules(Builder b) {
    this.compareBodies = b.compareBodies;
    this.countExtraHeaders = b.countExtraHeaders;
    this.ignoredHeaders = Set.copyOf(b.ignoredHeaders);
    this.comparedHeaders = Set.copyOf(b.comparedHeaders);
    this.ignore = List.copyOf(b.ignore);
    this.unordered = List.copyOf(b.unordered);
    this.numericTolerance = b.numericTolerance;
    this.foldWhitespace = b.foldWhitespace;
  }

  /** The defaults: default ignored headers, no ignored paths, exact numbers. */
  public static Rules defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a header (any case) is left out of the comparison. */
  public boolean ignoresHeader(String name) {
    return ignoresLowerCaseHeader(name.toLowerCase(Locale.ROOT));
  }

  /** As {@link #ignoresHeader}, for a name already in lower case. */
  public boolean ignoresLowerCaseHeader(String lower) {
    if (comparedHeaders.contains(lower)) {
      return false;
    }
    return DEFAULT_IGNORED_HEADERS.contains(lower) || ignoredHeaders.contains(lower);
  }

  /**
   * Whether a header (lower case) is compared by presence and kind rather than by value: one of
   * {@link #KIND_COMPARED_HEADERS} not named in {@code compare-headers}. Says nothing of whether it is ignored.
   */
  public boolean comparesByKind(String lower) {
    return KIND_COMPARED_HEADERS.contains(lower) && !comparedHeaders.contains(lower);
  }

  /** Extra headers ignored on top of {@link #DEFAULT_IGNORED_HEADERS}, lower case. */
  public Set<String> ignoredHeaders() {
    return ignoredHeaders;
  }

  /**
   * Headers compared by full value: even though they are in {@link #DEFAULT_IGNORED_HEADERS} or
   * {@link #ignoredHeaders()}, and instead of by kind for {@link #KIND_COMPARED_HEADERS}; lower case.
   */
  public Set<String> comparedHeaders() {
    return comparedHeaders;
  }

  /** JSON paths left out of the comparison (with their subtrees). */
  public List<PointerPattern> ignore() {
    return ignore;
  }

  /** JSON arrays compared as multisets (order ignored). */
  public List<PointerPattern> unordered() {
    return unordered;
  }

  /** Largest absolute difference at which two numbers still count as equal; 0 for exact. */
  public BigDecimal numericTolerance() {
    return numericTolerance;
  }

  /** Whether runs of white space in text bodies are folded to one space before comparing. */
  public boolean foldWhitespace() {
    return foldWhitespace;
  }

  /**
   * Whether bodies are compared; false only for an answer whose body was never recorded (a browser's HAR leaves some
   * out): status and headers are still compared, the body is counted as not compared.
   */
  public boolean comparesBodies() {
    return compareBodies;
  }

  /**
   * Whether a header NEW has and OLD lacks is a difference; false only when OLD's recorded headers are incomplete (a
   * browser's record of a revalidation keeps the 304's headers): what OLD's record has is still compared.
   */
  public boolean countsExtraHeaders() {
    return countExtraHeaders;
  }

  /** These rules for OLD's parts a capture did not record: a missing body or missing headers are not compared. */
  public Rules without(java.util.Set<Unrecorded> unrecorded) {
    if (unrecorded.isEmpty()) {
      return this;
    }
    return toBuilder().compareBodies(compareBodies && !unrecorded.contains(Unrecorded.BODY))
        .countExtraHeaders(countExtraHeaders && !unrecorded.contains(Unrecorded.HEADERS)).build();
  }

  /** These rules, comparing status and headers only. */
  public Rules withoutBodies() {
    return compareBodies ? toBuilder().compareBodies(false).build() : this;
  }

  /** These rules with another set added: lists are joined, the larger tolerance wins, folding if either folds. */
  public Rules plus(Rules more) {
    if (more == null || more == DEFAULTS) {
      return this;
    }
    Builder b = toBuilder();
    b.ignoredHeaders.addAll(more.ignoredHeaders);
    b.comparedHeaders.addAll(more.comparedHeaders);
    b.ignore.addAll(more.ignore);
    b.unordered.addAll(more.unordered);
    b.numericTolerance = numericTolerance.max(more.numericTolerance);
    b.foldWhitespace = foldWhitespace || more.foldWhitespace;
    b.compareBodies = compareBodies && more.compareBodies;
    b.countExtraHeaders = countExtraHeaders && more.countExtraHeaders;
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.ignoredHeaders.addAll(ignoredHeaders);
    b.comparedHeaders.addAll(comparedHeaders);
    b.ignore.addAll(ignore);
    b.unordered.addAll(unordered);
    b.numericTolerance = numericTolerance;
    b.foldWhitespace = foldWhitespace;
    b.compareBodies = compareBodies;
    b.countExtraHeaders = countExtraHeaders;
    return b;
  }

  @Override
  public String toString() {
    return "Rules{ignoreHeaders=" + ignoredHeaders + ", compareHeaders=" + comparedHeaders + ", ignore=" + ignore
        + ", unordered=" + unordered + ", numericTolerance=" + numericTolerance + ", foldWhitespace=" + foldWhitespace + "}";
  }

  /** Builds {@link Rules}; not thread-safe. */
  public static final class Builder {
    private final Set<String> ignoredHeaders = new LinkedHashSet<>();
    private final Set<String> comparedHeaders = new LinkedHashSet<>();
    private final List<PointerPattern> ignore = new ArrayList<>();
    private final List<PointerPattern> unordered = new ArrayList<>();
    private BigDecimal numericTolerance = BigDecimal.ZERO;
    private boolean foldWhitespace;
    private boolean compareBodies = true;
    private boolean countExtraHeaders = true;

    private Builder() {}

    /** Whether headers only NEW has are differences (see {@link Rules#countsExtraHeaders()}). */
    public Builder countExtraHeaders(boolean count) {
      this.countExtraHeaders = count;
      return this;
    }

    /** Whether bodies are compared at all (see {@link Rules#comparesBodies()}). */
    public Builder compareBodies(boolean compare) {
      this.compareBodies = compare;
      return this;
    }

    public Builder ignoreHeaders(Collection<String> names) {
      names.forEach(n -> ignoredHeaders.add(n.toLowerCase(Locale.ROOT)));
      return this;
    }

    public Builder compareHeaders(Collection<String> names) {
      names.forEach(n -> comparedHeaders.add(n.toLowerCase(Locale.ROOT)));
      return this;
    }

    public Builder ignore(String... pointers) {
      for (String p : pointers) {
        ignore.add(PointerPattern.parse(p));
      }
      return this;
    }

    public Builder ignore(Collection<PointerPattern> patterns) {
      ignore.addAll(patterns);
      return this;
    }

    public Builder unordered(String... pointers) {
      for (String p : pointers) {
        unordered.add(PointerPattern.parse(p));
      }
      return this;
    }

    public Builder unordered(Collection<PointerPattern> patterns) {
      unordered.addAll(patterns);
      return this;
    }

    public Builder numericTolerance(BigDecimal tolerance) {
      Objects.requireNonNull(tolerance, "numeric tolerance");
      if (tolerance.signum() < 0) {
        throw new IllegalArgumentException("numeric tolerance must not be negative: " + tolerance);
      }
      this.numericTolerance = tolerance;
      return this;
    }

    public Builder foldWhitespace(boolean fold) {
      this.foldWhitespace = fold;
      return this;
    }

    public Rules build() {
      return new Rules(this);
    }
  }
}
