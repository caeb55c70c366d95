package dev.shadowparity.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.config.VerdictConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sums report documents ({@code docs/report-format.md}: from {@code replay --json}, {@code report --json} or
 * {@code /api/report}) endpoint by endpoint, e.g. shards of one big replay run on several machines, so that the
 * gate judges the sum by the same rule as one store: the verdict needs only the counts. The sum keeps counts and
 * field counts; samples, causes and latencies are left out. The documents must hold disjoint evidence: a file given
 * twice, the same document twice, or two documents of the same source (a store file's period, a tap's memory, a
 * replay run: the report's {@code source}) are refused. Documents without a source (older versions) cannot be
 * checked for overlap.
 */
public final class ReportSum {

  /** A report document larger than this is refused (reports hold bounded samples; this is far past any real one). */
  public static final long MAX_BYTES = 512L * 1024 * 1024;

  private ReportSum() {}

  /** One endpoint's counts, summed. */
  private static final class Counts {
    long compared;
    long matched;
    long noiseOnly;
    long accepted;
    final Map<String, Long> acceptedBy = new TreeMap<>();
    final Map<String, Long> partsNotCompared = new TreeMap<>();
    long mismatched;
    long reclassified;
    long errors;
    long trials;
    long failures;
    final Map<String, Long> errorKinds = new TreeMap<>();
    final Map<String, Long> notComparable = new TreeMap<>();
    final Map<String, Long> skipped = new TreeMap<>();
    final Map<List<String>, Long> fields = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
        ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
  }

  /**
   * Reads and sums the documents, judging each endpoint's sum under {@code rule}.
   *
   * @throws IOException              when a file cannot be read
   * @throws IllegalArgumentException naming the file (and endpoint) when a document is not a report
   */
  public static Report read(List<Path> files, VerdictConfig rule) throws IOException {
    Map<String, Counts> sums = new TreeMap<>();
    Map<Path, Path> seenFiles = new java.util.HashMap<>();
    Map<String, Path> seenDocuments = new java.util.HashMap<>();
    Map<String, Path> seenSources = new java.util.HashMap<>();
    for (Path file : files) {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException(file + ": larger than " + MAX_BYTES + " bytes, not a report document");
      }
      // a pipe (<(curl ...)) has no real path to compare: it is taken as it was given
      Path identity = Files.isRegularFile(file) ? file.toRealPath() : file.toAbsolutePath().normalize();
      Path before = seenFiles.putIfAbsent(identity, file);
      if (before != null) {
        throw new IllegalArgumentException(file + ": given twice (as " + before + "): its evidence would count twice");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES + 1));
      }
      if (bytes.length > MAX_BYTES) {
        throw new IllegalArgumentException(file + ": larger than " + MAX_BYTES + " bytes, not a report document");
      }
      String digest = java.util.HexFormat.of().formatHex(sha256(bytes));
      Path same = seenDocuments.putIfAbsent(digest, file);
      if (same != null) {
        throw new IllegalArgumentException(file + ": the same document as " + same + ": its evidence would count twice");
      }
      JsonNode doc;
      try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
        doc = ReportJson.mapper().readTree(in);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(file + ": not JSON: " + e.getOriginalMessage()
            + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()), e);
      }
      if (doc == null || !doc.isObject() || !doc.path("endpoints").isArray()) {
        throw new IllegalArgumentException(file + ": not a report document (no \"endpoints\" array); "
            + "give the JSON of replay --json, report --json or /api/report");
      }
      String source = doc.path("source").isTextual() ? doc.get("source").textValue() : null;
      if (source != null) {
        Path sameSource = seenSources.putIfAbsent(source, file);
        if (sameSource != null) {
          throw new IllegalArgumentException(file + ": the same evidence as " + sameSource + " (" + source
              + "): two snapshots of one store period overlap, and summing them would count it twice");
        }
      }
      int i = 0;
      for (JsonNode e : doc.get("endpoints")) {
        add(file, i++, e, sums);
      }
    }
    ConfidenceSequence cs = new ConfidenceSequence(rule);
    List<EndpointReport> list = new ArrayList<>(sums.size());
    EndpointReport.Percentiles none = new EndpointReport.Percentiles(0, 0, 0, 0);
    sums.forEach((name, c) -> {
      long unjudged = c.notComparable.values().stream().mapToLong(Long::longValue).sum();
      List<EndpointReport.FieldCount> fields = new ArrayList<>();
      c.fields.forEach((k, n) -> fields.add(new EndpointReport.FieldCount(k.get(0), k.get(1), n)));
      fields.sort(java.util.Comparator.comparingLong(EndpointReport.FieldCount::count).reversed());
      list.add(new EndpointReport(name, c.compared, c.matched, c.noiseOnly, c.accepted, c.acceptedBy, c.mismatched,
          c.reclassified, c.errors, c.errorKinds, c.notComparable, c.skipped,
          EndpointReport.judge(cs, c.trials, c.failures, c.errors, unjudged, c.skipped), fields, Map.of(),
          new EndpointReport.Latency(none, none), List.of(), List.of(), List.of(), 0, c.partsNotCompared));
    });
    return Report.of(Instant.now(), new Report.VerdictRule(rule.maxMismatchRate(), rule.confidence(), rule.minCompared()),
        list);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static void add(Path file, int index, JsonNode e, Map<String, Counts> sums) {
    String where = file + ": endpoints[" + index + "]";
    JsonNode name = e.get("endpoint");
    if (name == null || !name.isTextual()) {
      throw new IllegalArgumentException(where + ": no \"endpoint\" name");
    }
    where = file + ": endpoint " + name.textValue();
    Counts c = sums.computeIfAbsent(name.textValue(), n -> new Counts());
    c.compared += count(e, "compared", where, true);
    c.matched += count(e, "matched", where, true);
    c.noiseOnly += count(e, "noiseOnly", where, false);
    c.accepted += count(e, "accepted", where, false);
    counts(e, "acceptedBy", where, c.acceptedBy);
    counts(e, "partsNotCompared", where, c.partsNotCompared);
    c.mismatched += count(e, "mismatched", where, true);
    c.reclassified += count(e, "reclassified", where, false);
    c.errors += count(e, "errors", where, true);
    c.trials += count(e, "trials", where, true);
    c.failures += count(e, "failures", where, true);
    counts(e, "errorKinds", where, c.errorKinds);
    counts(e, "notComparable", where, c.notComparable);
    counts(e, "skipped", where, c.skipped);
    JsonNode fields = e.path("fields");
    if (fields.isArray()) {
      for (JsonNode f : fields) {
        if (f.path("field").isTextual() && f.path("kind").isTextual()) {
          c.fields.merge(List.of(f.get("field").textValue(), f.get("kind").textValue()), count(f, "count", where, true),
              Long::sum);
        }
      }
    }
    if (c.failures > c.trials) {
      throw new IllegalArgumentException(where + ": more failures than trials");
    }
  }

  private static long count(JsonNode e, String key, String where, boolean required) {
    JsonNode n = e.get(key);
    if (n == null) {
      if (required) {
        throw new IllegalArgumentException(where + ": no \"" + key + "\" count");
      }
      return 0;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber() || n.longValue() < 0) {
      throw new IllegalArgumentException(where + ": \"" + key + "\" is not a count: " + n);
    }
    return n.longValue();
  }

  private static void counts(JsonNode e, String key, String where, Map<String, Long> into) {
    JsonNode n = e.get(key);
    if (n == null) {
      return;
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(where + ": \"" + key + "\" is not an object of counts");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> k = it.next();
      into.merge(k.getKey(), count(n, k.getKey(), where + " " + key, true), Long::sum);
    }
  }
}
