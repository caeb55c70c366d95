package dev.shadowparity.bench;

import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one {@link ResponseComparator#compare} (decode both bodies, normalize, diff status, headers
 * and body) with {@link Rules#defaults()}, on four response pairs built in code from fixed seeds (see
 * {@link Payloads}):
 * <ul>
 *   <li>{@code json2kEqual}: ~2 KB order, equal after normalization (key order, non-ASCII as JSON
 *       backslash-u escapes vs raw UTF-8, {@code 1250.0} vs {@code 1250}, Date/Server/Set-Cookie value differ);</li>
 *   <li>{@code json2kThreeDiffs}: ~2 KB order with exactly 3 differences;</li>
 *   <li>{@code json1mFiveDiffs}: ~1 MB list of 3,000 orders with 5 differences;</li>
 *   <li>{@code html200kFourLines}: ~200 KB HTML page, CRLF vs LF, 4 lines differ.</li>
 * </ul>
 * The trial setup compares every pair once and fails the run unless it gives the expected result, so
 * a change to the engine or to the payloads cannot make the benchmark silently measure something else.
 *
 * <pre>{@code
 * cd /work/main && mvn -q -B -DskipTests install && mvn -q -B -DskipTests -pl bench package
 * java -jar bench/target/benchmarks.jar CompareBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompareBenchmark {

  private final ResponseComparator comparator = ResponseComparator.create();
  private final Rules rules = Rules.defaults();

  private Payloads.Pair json2kEqual;
  private Payloads.Pair json2kThreeDiffs;
  private Payloads.Pair json1mFiveDiffs;
  private Payloads.Pair html200kFourLines;

  @Setup
  public void setup() {
    json2kEqual = Payloads.json2kEqual();
    json2kThreeDiffs = Payloads.json2kThreeDiffs();
    json1mFiveDiffs = Payloads.json1mFiveDiffs();
    html200kFourLines = Payloads.html200kFourLines();

    checkSize(json2kEqual, 1_900, 2_300);
    checkSize(json2kThreeDiffs, 1_900, 2_300);
    checkSize(json1mFiveDiffs, 900_000, 1_200_000);
    checkSize(html200kFourLines, 180_000, 240_000);

    // the equal pair must actually exercise normalization, not be two identical byte arrays
    String oldText = new String(json2kEqual.oldResponse().body(), StandardCharsets.UTF_8);
    String newText = new String(json2kEqual.newResponse().body(), StandardCharsets.UTF_8);
    check(json2kEqual, oldText.contains("\\u00e9") && !newText.contains("\\u00e9") && newText.contains("é"),
        "OLD must escape non-ASCII as \\u00e9, NEW must write it raw");
    check(json2kEqual, oldText.contains(": 1250.0,") && newText.contains(": 1250,"), "must hold 1250.0 vs 1250");
    check(json2kEqual, !keysInOrder(oldText).equals(keysInOrder(newText)), "key order must differ");

    verify(json2kEqual);
    verify(json2kThreeDiffs);
    verify(json1mFiveDiffs);
    Comparison html = verify(html200kFourLines);
    Difference body = html.differences().get(0);
    check(html200kFourLines, body.field().equals("body"), "the difference must be in the body, got " + body);
    long hunks = body.detail().lines().filter(line -> line.startsWith("@@")).count();
    check(html200kFourLines, hunks == 4, "the unified diff must have 4 hunks, got " + hunks + ":\n" + body.detail());
  }

  private static List<String> keysInOrder(String json) {
    List<String> keys = new ArrayList<>();
    Matcher m = KEY.matcher(json);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  private static final Pattern KEY = Pattern.compile("\"(\\w+)\": ");

  private Comparison verify(Payloads.Pair pair) {
    Comparison c = comparator.compare(pair.oldResponse(), pair.newResponse(), rules);
    int expected = pair.expectedPaths().size();
    int n = c.differences().size();
    check(pair, n == expected && !c.truncated() && c.match() == (expected == 0),
        "expected " + expected + " difference(s), got " + n + (c.truncated() ? " (truncated)" : "") + ": " + c.differences());
    Set<String> paths = new TreeSet<>();
    c.differences().forEach(d -> paths.add(d.path()));
    check(pair, paths.equals(new TreeSet<>(pair.expectedPaths())),
        "expected differences at " + new TreeSet<>(pair.expectedPaths()) + ", got " + c.differences());
    return c;
  }

  private static void checkSize(Payloads.Pair pair, int min, int max) {
    check(pair, pair.oldSize() >= min && pair.oldSize() <= max && pair.newSize() >= min && pair.newSize() <= max,
        "body sizes " + pair.oldSize() + " / " + pair.newSize() + " bytes are outside " + min + ".." + max);
  }

  private static void check(Payloads.Pair pair, boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(pair.name() + ": " + what);
    }
  }

  /** ~2 KB JSON order, equal after normalization. Target: at least 50,000 ops/s. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Comparison json2kEqual() {
    return comparator.compare(json2kEqual.oldResponse(), json2kEqual.newResponse(), rules);
  }

  /** ~2 KB JSON order with 3 differences. Target: at least 50,000 ops/s. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Comparison json2kThreeDiffs() {
    return comparator.compare(json2kThreeDiffs.oldResponse(), json2kThreeDiffs.newResponse(), rules);
  }

  /** ~1 MB JSON order list with 5 differences. Target: at most 40 ms/op. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Comparison json1mFiveDiffs() {
    return comparator.compare(json1mFiveDiffs.oldResponse(), json1mFiveDiffs.newResponse(), rules);
  }

  /** ~200 KB HTML page with 4 changed lines. No target; reported for reference. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Comparison html200kFourLines() {
    return comparator.compare(html200kFourLines.oldResponse(), html200kFourLines.newResponse(), rules);
  }
}
