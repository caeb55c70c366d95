package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.config.NoiseConfig;
import dev.shadowparity.demo.DemoBackends;
import dev.shadowparity.endpoint.EndpointTemplater;
import dev.shadowparity.engine.RecordedResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TapAndDemoCommandTest {

  @TempDir
  Path dir;

  private static final String NOISE_HEADING =
      "Noise (differs between two answers of OLD itself; listed, never counted as a mismatch):";
  /** The demo prints at most this many noise lines, then "... and N more". */
  private static final int NOISE_LINES_SHOWN = 12;
  private static final Pattern NOISE_LINE = Pattern.compile("^  (\\S+ \\S+) +(\\S+) +(.+)$");

  @Test
  void grpcDemo_comparesTheCallsThroughTheTap_fieldByField() {
    CompareCommandTest.Run r = CompareCommandTest.run("demo", "--grpc", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--requests", "100", "--exit");
    assertThat(r.exit()).as(r.err()).isEqualTo(0);
    // every call went over HTTP/2 through the tap to both backends and was compared (none failed, none skipped)
    assertThat(r.out()).contains("100 compared:").contains("0 errors; 0 not comparable; 0 skipped");
    // GetItem ids 1 to 25: item 3's price, items 6 and 8's stock, ids 21 to 25's status
    assertThat(r.out()).containsPattern("FAILING\\s+grpc /demo\\.catalog\\.v1\\.Catalog/GetItem\\s+90\\s+")
        .contains("/stock (value)").contains("grpc-status (value)");
    assertThat(r.out()).containsPattern("FAILING\\s+grpc /demo\\.catalog\\.v1\\.Catalog/ListIte.*\\s+10\\s+10\\s+100\\.0%")
        .contains("/*/price_cents (value)");
    assertThat(r.out()).as("with --exit nothing is left to try").doesNotContain("grpcurl");
  }

  @Test
  void demo_printsVerdictsAndFieldsFromRealPythonPairs() throws Exception {
    int requests = 200;
    CompareCommandTest.Run r = CompareCommandTest.run("demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--requests", String.valueOf(requests), "--exit");
    assertThat(r.exit()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).containsPattern("(?m)FAILING\\s+GET /api/orders/\\{id\\}/summary\\s+\\d+\\s+\\d+\\s+100\\.0%\\s+/average \\(value, likely integer-division\\)$");
    assertThat(r.out()).containsPattern("FAILING\\s+GET /api/categories .*/categories \\(array-order\\)");
    assertThat(r.out()).containsPattern("GET /api/products/\\{id\\}/sku .*/sku \\(value, likely bytes-repr\\)");
    assertThat(r.out()).containsPattern("(?m)FAILING\\s+GET /api/products/\\{id\\}/names\\s+\\d+\\s+\\d+\\s+100\\.0%\\s+"
        + "/names/es \\(value, likely unicode-escaping\\), /names/fr \\(value, likely unicode-escaping\\)$");
    assertThat(r.out()).containsPattern("(?m)FAILING\\s+GET /api/orders/\\{id\\}/receipt\\s+\\d+\\s+\\d+\\s+100\\.0%\\s+"
        + "/issued_at \\(value, likely volatile-value\\), /issued_ts \\(value, likely volatile-value\\), "
        + "/receipt_id \\(value, likely volatile-value\\)$");
    // every JSON answer carries a fresh served_at: only learned noise keeps it from failing this endpoint
    assertThat(r.out()).containsPattern("UNPROVEN\\s+GET /api/products/\\{id\\}\\s+\\d+\\s+0\\s+0\\.0%\\s+no mismatch yet");
    // noise is never a top field, except where no noise could be learned: every two reads of the cart had a DELETE of
    // one of its items between them (a write the tap sends to OLD only), so they answered two states of the data
    assertThat(r.out().lines().filter(l -> l.contains("/served_at (")))
        .allSatisfy(l -> assertThat(l).containsPattern("GET /api/cart/\\{id\\}(/items)? "));
    assertThat(r.out()).containsPattern("(?m)^  GET /api/cart/\\{id\\}\\s+\\d+ repeated reads? with a write between$");
    assertThat(r.out()).contains("Admin API:  http://127.0.0.1:").containsPattern("Admin page: http://127\\.0\\.0\\.1:\\d+/ ");
    assertThat(r.out()).containsPattern("200 compared|\\d+ compared");

    Map<String, String> expected = expectedNoise(requests);
    assertThat(expected).as("the demo pairs give noise to learn").containsKey("GET /api/orders/{id}/summary")
        .hasSizeGreaterThan(NOISE_LINES_SHOWN);
    assertThat(r.out()).contains(NOISE_HEADING);
    List<String> section = r.out().lines().dropWhile(l -> !l.equals(NOISE_HEADING)).skip(1)
        .takeWhile(l -> l.startsWith("  ")).toList();
    assertThat(section).as(r.out()).hasSize(NOISE_LINES_SHOWN + 1);
    Map<String, String> listed = new LinkedHashMap<>();
    for (String line : section.subList(0, NOISE_LINES_SHOWN)) {
      Matcher m = NOISE_LINE.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      // what noise hid when recorded and what it removed afterwards add up to the exchanges not counted (the split
      // depends on when the endpoint's third repeat came, which concurrency decides)
      Matcher split = Pattern.compile("(.*; )hid (\\d+) when recorded(?:, and was in (\\d+) mismatches recorded before it was learned)?$")
          .matcher(m.group(3));
      assertThat(split.matches()).as(line).isTrue();
      long notCounted = Long.parseLong(split.group(2)) + (split.group(3) == null ? 0 : Long.parseLong(split.group(3)));
      listed.put(m.group(1), m.group(2) + " " + split.group(1) + notCounted + " exchanges not counted");
    }
    assertThat(listed).hasSize(NOISE_LINES_SHOWN);
    assertThat(expected).containsAllEntriesOf(listed);
    assertThat(section.get(NOISE_LINES_SHOWN))
        .isEqualTo("  ... and " + (expected.size() - NOISE_LINES_SHOWN) + " more (at /api/report)");
  }

  /**
   * The noise lines the demo must print after {@code requests} requests sent round-robin over its pairs, by
   * endpoint, worked out from the pairs: the demo backends stamp both answers of a pair with a fresh
   * {@code served_at} when both are uncompressed JSON objects ({@link DemoBackends#stampServedAt}), and that is
   * all that changes between two answers of OLD (Date and X-Request-Id are ignored headers). Per endpoint: the
   * repeats of OLD (every GET target but its first request), those in which OLD differed at served_at, and the
   * exchanges not counted because NEW's answer (a JSON object too) differed there; learned at the default
   * {@code noise.min-evidence} and {@code noise.min-rate}.
   */
  private static Map<String, String> expectedNoise(int requests) throws Exception {
    List<DemoBackends.Pair> pairs = DemoBackends.load().pairs();
    assertThat(pairs.stream().map(p -> p.method() + " " + p.target())).as("one pair per request").doesNotHaveDuplicates();
    EndpointTemplater templater = new EndpointTemplater(List.of(), 10_000);
    Map<String, long[]> counts = new TreeMap<>(); // repeats, repeats differing at served_at, exchanges not counted
    for (int i = 0; i < pairs.size(); i++) {
      DemoBackends.Pair p = pairs.get(i);
      if (!p.method().equals("GET")) {
        continue; // POST and DELETE are not mirrored (skipped: unsafe-method)
      }
      if (writtenBetweenReads(pairs, p.target())) {
        continue; // every two reads have a write that reached OLD only between them: nothing learned
      }
      long sent = requests / pairs.size() + (i < requests % pairs.size() ? 1 : 0);
      long[] c = counts.computeIfAbsent(templater.endpointOf(p.method(), p.target()), e -> new long[3]);
      c[0] += sent - 1;
      if (stampable(p.old()) && isJsonObject(p.old()) && stampable(p.neu())) {
        c[1] += sent - 1;
        c[2] += isJsonObject(p.neu()) ? sent : 0;
      }
    }
    Map<String, String> expected = new TreeMap<>();
    counts.forEach((endpoint, c) -> {
      if (c[1] >= NoiseConfig.DEFAULT_MIN_EVIDENCE && c[1] >= NoiseConfig.DEFAULT_MIN_RATE * c[0]) {
        assertThat(endpoint).hasSizeLessThanOrEqualTo(38); // printed in full
        expected.put(endpoint, "/served_at learned, differed in " + c[1] + " of " + c[0] + " repeats of OLD; " + c[2]
            + " exchanges not counted");
      }
    });
    return expected;
  }

  /**
   * Whether an unsafe pair writes what a read of {@code target} answers, by the rule of {@code UnmirroredWrites}: the
   * same path, a path below it, or a path above it unless the write is a POST.
   */
  private static boolean writtenBetweenReads(List<DemoBackends.Pair> pairs, String target) {
    String read = target.replaceAll("[?#].*", "");
    for (DemoBackends.Pair w : pairs) {
      String path = w.target().replaceAll("[?#].*", "");
      if (!w.method().equals("GET") && (path.equals(read) || path.startsWith(read + "/")
          || (!w.method().equals("POST") && read.startsWith(path + "/")))) {
        return true;
      }
    }
    return false;
  }

  /** As the demo backends decide which answers to stamp: uncompressed JSON that starts as an object. */
  private static boolean stampable(RecordedResponse r) {
    return String.valueOf(r.headers().get("Content-Type")).contains("json") && r.headers().get("Content-Encoding") == null
        && r.body().length >= 2 && r.body()[0] == '{';
  }

  private static boolean isJsonObject(RecordedResponse r) {
    try {
      return new ObjectMapper().readTree(r.body()).isObject();
    } catch (JsonProcessingException invalid) {
      return false; // e.g. NEW's hand-templated JSON with a bytes repr in it
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void tap_badUrl_exit2_namesTheFlag() {
    CompareCommandTest.Run r = CompareCommandTest.run("tap", "--old", "ftp://x", "--new", "http://127.0.0.1:2");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--old").contains("must be an http:// or https:// URL");
  }

  @Test
  void tap_missingBackend_exit2() {
    CompareCommandTest.Run r = CompareCommandTest.run("tap", "--old", "http://127.0.0.1:1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--new URL");
  }

  @Test
  void tap_helpExplainsEveryOptionWithDefault() {
    CompareCommandTest.Run r = CompareCommandTest.run("tap", "--help");
    assertThat(r.out()).contains("--old").contains("--new").contains("--listen").contains("Default: 127.0.0.1:8080")
        .contains("--admin").contains("Default: 127.0.0.1:9090").contains("--config").contains("--capture")
        .contains("--sample-rate").contains("--grace").contains("SIGTERM")
        .contains("--store").contains("Default: parity.db").contains("none keeps it in memory");
    assertThat(CompareCommandTest.run("--help").out()).contains("report").contains("gate");
  }

  /** A real process: SIGTERM lets the in-flight request finish and flushes the capture. */
  @Test
  void tapProcess_sigtermIsGraceful() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer old = vertx.createHttpServer().requestHandler(req -> {
        if (req.path().equals("/slow")) {
          vertx.setTimer(1500, t -> req.response().putHeader("Content-Type", "application/json").end("{\"slow\":true}"));
        } else {
          req.response().putHeader("Content-Type", "application/json").end("{\"v\":1}");
        }
      }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
      HttpServer neu = vertx.createHttpServer().requestHandler(req -> req.response().putHeader("Content-Type", "application/json")
          .end(req.path().equals("/slow") ? "{\"slow\":true}" : "{\"v\":2}")).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
      Path capture = dir.resolve("cap.ndjson");
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), ParityMain.class.getName(), "tap",
          "--old", "http://127.0.0.1:" + old.actualPort(), "--new", "http://127.0.0.1:" + neu.actualPort(),
          "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--capture", capture.toString(), "--grace", "5",
          "--store", dir.resolve("parity.db").toString()));
      Path log = dir.resolve("tap.log");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (Files.size(log) == 0 || !Files.readString(log).contains("\n")) {
        assertThat(System.nanoTime()).as("tap started").isLessThan(deadline);
        Thread.sleep(50);
      }
      String first = Files.readAllLines(log).get(0);
      assertThat(first).startsWith("Shadow Parity tap: http://127.0.0.1:");
      Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+) ").matcher(first);
      assertThat(m.find()).isTrue();
      String proxy = "http://127.0.0.1:" + m.group(1);
      HttpClient client = HttpClient.newHttpClient();
      assertThat(client.send(HttpRequest.newBuilder(URI.create(proxy + "/fast")).build(), HttpResponse.BodyHandlers.ofString()).body())
          .isEqualTo("{\"v\":1}");
      CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
          HttpRequest.newBuilder(URI.create(proxy + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
      Thread.sleep(400);
      p.destroy(); // SIGTERM
      HttpResponse<String> slow = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(slow.statusCode()).isEqualTo(200);
      assertThat(slow.body()).isEqualTo("{\"slow\":true}");
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      String rest = Files.readString(log);
      List<String> captured = Files.readAllLines(capture);
      assertThat(captured).as("tap output: %s", rest).hasSize(2);
      assertThat(captured.get(1)).contains("\"uri\":\"/slow\"");
      CompareCommandTest.Run stored = CompareCommandTest.run("report", "--store", dir.resolve("parity.db").toString());
      assertThat(stored.out()).as("the store was flushed at the stop").contains("2 compared: 1 matched, 0 noise only, 1 mismatched;");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
