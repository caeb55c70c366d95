package dev.shadowparity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
 * A full comparison (decode, normalize, diff, classify nothing: the pairs are equal) against the floor every
 * tree-based comparison pays, Jackson's {@code readTree} of both bodies, measured in the same run so that the ratio
 * holds whatever the machine (issue 22, item 4). Pairs ({@link Payloads#identical}, {@link Payloads#keyOrder}): a
 * byte-identical pair and a "same data, other key order" pair, each of about 2 KB and 64 KB.
 *
 * <pre>{@code
 * mvn -q -B -DskipTests -pl bench -am package
 * java -jar bench/target/benchmarks.jar FloorBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }</pre>
 * Read: {@code compareKeyOrder2k / jacksonBoth2k} (target at most 1.5) and {@code compareIdentical2k / jacksonBoth2k}
 * (target at most 0.2), and the same at 64 KB; all in ops/s, so a ratio of costs is the inverse ratio of scores.
 */
@State(Scope.Benchmark)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FloorBenchmark {

  private final ResponseComparator comparator = ResponseComparator.create();
  private final Rules rules = Rules.defaults();
  private final ObjectMapper jackson = new ObjectMapper();

  private Payloads.Pair identical2k;
  private Payloads.Pair identical64k;
  private Payloads.Pair keyOrder2k;
  private Payloads.Pair keyOrder64k;

  @Setup
  public void setup() {
    identical2k = Payloads.identical(false);
    identical64k = Payloads.identical(true);
    keyOrder2k = Payloads.keyOrder(false);
    keyOrder64k = Payloads.keyOrder(true);
    for (Payloads.Pair p : new Payloads.Pair[] {identical2k, identical64k, keyOrder2k, keyOrder64k}) {
      Comparison c = comparator.compare(p.oldResponse(), p.newResponse(), rules);
      if (!c.match()) {
        throw new IllegalStateException(p.name() + " must match, got " + c.differences());
      }
      int size = p.oldResponse().body().length;
      boolean large = p.name().contains("64k");
      if (large ? size < 55_000 || size > 75_000 : size < 1_700 || size > 2_600) {
        throw new IllegalStateException(p.name() + " is " + size + " bytes");
      }
    }
    for (Payloads.Pair p : new Payloads.Pair[] {identical2k, identical64k}) {
      if (!Arrays.equals(p.oldResponse().body(), p.newResponse().body()) || p.oldResponse().body() == p.newResponse().body()) {
        throw new IllegalStateException(p.name() + " must be two equal copies");
      }
    }
    for (Payloads.Pair p : new Payloads.Pair[] {keyOrder2k, keyOrder64k}) {
      String a = new String(p.oldResponse().body(), StandardCharsets.UTF_8);
      String b = new String(p.newResponse().body(), StandardCharsets.UTF_8);
      if (a.equals(b) || a.length() != b.length()) {
        throw new IllegalStateException(p.name() + " must differ in key order only");
      }
    }
  }

  @Benchmark
  public Comparison compareIdentical2k() {
    return comparator.compare(identical2k.oldResponse(), identical2k.newResponse(), rules);
  }

  @Benchmark
  public Comparison compareKeyOrder2k() {
    return comparator.compare(keyOrder2k.oldResponse(), keyOrder2k.newResponse(), rules);
  }

  @Benchmark
  public JsonNode jacksonBoth2k() throws IOException {
    jackson.readTree(keyOrder2k.oldResponse().body());
    return jackson.readTree(keyOrder2k.newResponse().body());
  }

  @Benchmark
  public Comparison compareIdentical64k() {
    return comparator.compare(identical64k.oldResponse(), identical64k.newResponse(), rules);
  }

  @Benchmark
  public Comparison compareKeyOrder64k() {
    return comparator.compare(keyOrder64k.oldResponse(), keyOrder64k.newResponse(), rules);
  }

  @Benchmark
  public JsonNode jacksonBoth64k() throws IOException {
    jackson.readTree(keyOrder64k.oldResponse().body());
    return jackson.readTree(keyOrder64k.newResponse().body());
  }
}
