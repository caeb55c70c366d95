package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TapAndDemoCommandTest {

  @TempDir
  Path dir;

  @Test
  void demo_printsVerdictsAndFieldsFromRealPythonPairs() {
    CompareCommandTest.Run r = CompareCommandTest.run("demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0",
        "--requests", "200", "--exit");
    assertThat(r.exit()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).containsPattern("FAILING\\s+GET /api/orders/\\{id\\}/summary\\s+\\d+\\s+\\d+\\s+100\\.0%\\s+/average \\(value, likely integer-division\\)");
    assertThat(r.out()).containsPattern("FAILING\\s+GET /api/categories .*/categories \\(array-order\\)");
    assertThat(r.out()).containsPattern("GET /api/products/\\{id\\}/sku .*/sku \\(value, likely bytes-repr\\)");
    assertThat(r.out()).containsPattern("UNPROVEN\\s+GET /api/products/\\{id\\}\\s+\\d+\\s+0\\s+0\\.0%\\s+no mismatch yet");
    assertThat(r.out()).contains("Admin API:  http://127.0.0.1:");
    assertThat(r.out()).containsPattern("200 compared|\\d+ compared");
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
        .contains("--sample-rate").contains("--grace").contains("SIGTERM");
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
          "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--capture", capture.toString(), "--grace", "5"));
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
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
