package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.tap.Tap;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tap's own NDJSON capture, written by a real tap, replayed: the findings match the tap's. */
class ReplayTapCaptureTest {

  @TempDir
  Path dir;

  @Test
  void captureWrittenByTheTap_replaysToTheSameFindings() throws Exception {
    String rules = "rules:\n  ignore-headers: [matched-stub-id]\n";
    Path config = dir.resolve("parity.yaml");
    Files.writeString(config, rules);
    Path capture = dir.resolve("capture.ndjson");
    JsonNode tapReport;
    try (ShopBackends shop = new ShopBackends()) {
      ParityConfig pc = ConfigLoader.parse(rules, "test.yaml");
      Vertx vertx = Tap.newVertx(pc);
      try {
        TapConfig tc = ConfigLoader.parseTap("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: " + shop.oldUrl() + "\nnew: "
            + shop.newUrl() + "\ncapture:\n  file: " + capture + "\n", "test.yaml");
        Tap tap = Tap.start(vertx, pc, tc).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String target : List.of("/", "/static/logo.png", "/api/users/1", "/api/users/2", "/api/users/3",
            "/api/products?q=caf%C3%A9&page=2", "/api/orders/1001", "/api/report.csv", "/api/health", "/api/missing")) {
          HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tap.proxyPort() + target))
              .header("Cookie", "sid=abc123").build(), HttpResponse.BodyHandlers.ofByteArray());
          assertThat(r.statusCode()).isIn(200, 204, 404);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tap.engine().ledger().report().totals().compared() < 10 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        tapReport = new ObjectMapper().readTree(dev.shadowparity.report.ReportJson.write(tap.engine().ledger().report()));
        tap.shutdown(5000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      List<String> lines = Files.readAllLines(capture);
      assertThat(lines).hasSize(10);
      assertThat(lines.get(0)).contains("\"Cookie\",\"sid=[redacted]\"");

      List<String> tapFindings = ReplayCommandTest.endpoints(tapReport);
      assertThat(tapFindings).contains("GET /api/users/{id}: 3 compared, 1 mismatched, 0 errors, UNPROVEN, /balance value 1");
      for (String[] mode : List.of(new String[] {"--old", shop.oldUrl()}, new String[0])) {
        Path json = dir.resolve("r" + mode.length + ".json");
        List<String> args = new ArrayList<>(List.of("replay", capture.toString(), "--new", shop.newUrl(), "--config",
            config.toString(), "--json", json.toString(), "--progress", "none", "--fail-on", "mismatch"));
        args.addAll(List.of(mode));
        ReplayCommandTest.Run r = ReplayCommandTest.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.DIFFERENT);
        JsonNode replayed = new ObjectMapper().readTree(json.toFile());
        assertThat(replayed.path("input").path("files").get(0).path("format").asText()).isEqualTo("tap");
        assertThat(ReplayCommandTest.endpoints(replayed)).as(String.join(" ", mode)).isEqualTo(tapFindings);
      }
    }
  }
}
