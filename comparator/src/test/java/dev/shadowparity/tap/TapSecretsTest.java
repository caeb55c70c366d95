package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Sample;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never reach the store or a capture: every file the tap writes is read back byte by byte and none of the
 * secret values sent in headers, cookies, query strings, JSON bodies (plain and gzip-encoded) and card numbers is in
 * it, while the evidence (the differing fields) still is.
 */
class TapSecretsTest {

  private static final List<String> SECRETS = List.of("auth-secret-789", "cookie-secret-000", "custom-header-secret",
      "query-secret-123", "pw-secret-456", "old-tok-XYZ", "new-tok-XYZ", "old-sid-secret", "new-sid-secret",
      "gz-secret-321", "gz-secret-654", "4111 1111 1111 1111", "4111111111111111", "5555555555554444");

  private final TapHarness h = new TapHarness();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void noSecretReachesTheStoreOrTheCapture() throws Exception {
    h.old(req -> req.body().onSuccess(b -> answer(req, "old", b)))
        .neu(req -> req.body().onSuccess(b -> answer(req, "new", b)));
    Path db = dir.resolve("parity.db");
    Path capture = dir.resolve("capture.ndjson");
    h.tap("mirror-methods: [GET, POST]\nstore: {file: " + db + ", flush: 100ms}\ncapture: {file: " + capture + "}\n"
        + "redact:\n  headers: [X-Api-Key]\n");
    for (int i = 0; i < 2; i++) {
      byte[] login = "{\"user\":\"ann\",\"password\":\"pw-secret-456\"}".getBytes(StandardCharsets.UTF_8);
      HttpRequest.Builder b = HttpRequest.newBuilder(h.proxy("/api/login?user=ann&api_key=query-secret-123"));
      if (i == 1) { // the second login sends its body gzip-encoded
        login = gzip(new String(login, StandardCharsets.UTF_8));
        b.header("Content-Encoding", "gzip");
      }
      h.send(b.header("Content-Type", "application/json")
          .header("Authorization", "Bearer auth-secret-789")
          .header("Cookie", "sid=cookie-secret-000")
          .header("X-Api-Key", "custom-header-secret")
          .POST(HttpRequest.BodyPublishers.ofByteArray(login)).build());
      h.get("/api/profile");
    }
    h.awaitEndpoint("POST /api/login", e -> e.compared() == 2);
    h.awaitEndpoint("GET /api/profile", e -> e.compared() == 2);
    assertThat(h.tap.engine().ledger().report().endpoint("POST /api/login").mismatched()).isEqualTo(2);
    h.tap.store().flushNow();
    HttpRequest reportReq = HttpRequest.newBuilder(h.admin("/api/endpoints/" + java.net.URLEncoder.encode("POST /api/login",
        StandardCharsets.UTF_8).replace("+", "%20") + "/samples")).build();
    String samplesJson = new String(h.send(reportReq).body(), StandardCharsets.UTF_8);
    h.close();

    List<Path> written = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(written::add);
    }
    assertThat(written).contains(db, capture);
    for (Path file : written) {
      String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String secret : SECRETS) {
        assertThat(content).as("%s must not hold %s", file.getFileName(), secret).doesNotContain(secret);
      }
    }
    for (String secret : SECRETS) {
      assertThat(samplesJson).as("admin samples must not hold %s", secret).doesNotContain(secret);
    }

    // the capture keeps the exchanges, masked: gzip bodies holding secrets are written decoded, without Content-Encoding
    List<String> lines = Files.readAllLines(capture);
    assertThat(lines).hasSize(4);
    String profile = lines.stream().filter(l -> l.contains("/api/profile")).findFirst().orElseThrow();
    assertThat(profile).contains("\\\"refresh_token\\\":\\\"[redacted]\\\"").contains("\\\"n\\\":1")
        .doesNotContain("Content-Encoding").doesNotContain("bodyBase64");
    String login = lines.stream().filter(l -> l.contains("/api/login")).findFirst().orElseThrow();
    assertThat(login).contains("api_key=[redacted]").contains("\\\"password\\\":\\\"[redacted]\\\"")
        .contains("[\"X-Api-Key\",\"[redacted]\"]").contains("\\\"card\\\":\\\"[redacted]\\\"");

    // the store still holds the evidence: the mismatching fields, with the secret values masked
    Ledger restored = new Ledger(ParityConfig.DEFAULTS.verdict(), ParityConfig.DEFAULTS.limits());
    dev.shadowparity.store.StoreReader.read(db, null, restored);
    EndpointReport login2 = restored.report().endpoint("POST /api/login");
    assertThat(login2.mismatched()).isEqualTo(2);
    List<Sample> samples = restored.samples("POST /api/login");
    assertThat(samples).isNotEmpty();
    Sample s = samples.get(0);
    assertThat(s.fields()).containsExactlyInAnyOrder("/score", "/token", "/card");
    assertThat(s.differences()).filteredOn(d -> d.field().equals("/token"))
        .allSatisfy(d -> assertThat(d.oldValue()).isEqualTo("[redacted]"));
    assertThat(s.differences()).filteredOn(d -> d.field().equals("/score"))
        .allSatisfy(d -> assertThat(d.oldValue() + " " + d.newValue()).isEqualTo("1 2"));
    assertThat(s.request().uri()).isEqualTo("/api/login?user=ann&api_key=[redacted]");
    assertThat(samples).allSatisfy(x -> assertThat(x.request().body()).isEqualTo("{\"user\":\"ann\",\"password\":\"[redacted]\"}"));
  }

  private static void answer(io.vertx.core.http.HttpServerRequest req, String side, Buffer body) {
    boolean old = side.equals("old");
    if (req.path().equals("/api/profile")) {
      byte[] gz = gzip("{\"refresh_token\":\"" + (old ? "gz-secret-321" : "gz-secret-654") + "\",\"n\":" + (old ? 1 : 2) + "}");
      req.response().putHeader("Content-Type", "application/json").putHeader("Content-Encoding", "gzip").end(Buffer.buffer(gz));
      return;
    }
    String card = old ? "4111 1111 1111 1111" : "5555555555554444";
    req.response().putHeader("Content-Type", "application/json")
        .putHeader("Set-Cookie", "sid=" + side + "-sid-secret; Path=/; HttpOnly")
        .end("{\"user\":\"ann\",\"token\":\"" + side + "-tok-XYZ\",\"card\":\"" + card + "\",\"score\":" + (old ? 1 : 2) + "}");
  }

  private static byte[] gzip(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
