package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.report.EndpointReport;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 through the tap, with real servers on loopback: clients with prior knowledge (h2c) and HTTP/1.1 on the same
 * port, backends reached over h2c or HTTP/1.1 ({@code protocol:}), trailers, backpressure and the comparison.
 */
class TapHttp2Test {

  private final TapHarness h = new TapHarness();
  /** The HTTP version each backend request arrived in, per backend ("old" or "new"). */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    h.close();
  }

  private HttpClient h2cClient() {
    return h.vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDecompressionSupported(false));
  }

  /** What a client got: status, headers and trailers (lower-cased names, in order), body bytes, its version. */
  record Got(int status, List<String> headers, List<String> trailers, byte[] body, HttpVersion version) {}

  private static List<String> lines(MultiMap m) {
    List<String> out = new ArrayList<>();
    m.forEach(e -> out.add(e.getKey().toLowerCase(Locale.ROOT) + ": " + e.getValue()));
    return out;
  }

  private Got get(HttpClient client, String path) {
    return TapHarness.await(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(h.tap.proxyPort()).setURI(path))
        .compose(r -> r.send())
        .compose(resp -> resp.body().map(b -> new Got(resp.statusCode(), lines(resp.headers()), lines(resp.trailers()),
            b.getBytes(), resp.version()))));
  }

  /** A JSON answer written in two chunks, with headers and trailers as a gRPC-like server sends them. */
  private io.vertx.core.Handler<HttpServerRequest> answer(String who, String json) {
    return req -> {
      seen.add(who + " " + req.version());
      HttpServerResponse res = req.response();
      res.setStatusCode(201).setChunked(true).putHeader("Content-Type", "application/json")
          .putHeader("X-Custom-Header", "v1").putHeader("set-cookie", "s=" + who + "; Path=/");
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      res.write(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, 0, bytes.length / 2)));
      res.putTrailer("x-checksum", "abc").putTrailer("grpc-status", "0");
      res.end(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, bytes.length / 2, bytes.length)));
    };
  }

  @Test
  void anH2cClient_getsOldsAnswerAsOldSentIt_trailersIncluded_andTheExchangeMatches() throws Exception {
    String json = "{\"id\":1,\"name\":\"Ada\",\"tags\":[\"a\",\"b\"]}";
    h.old(answer("old", json)).neu(answer("new", json)).tap("protocol: h2c\n");
    AtomicReference<dev.shadowparity.engine.Exchange> recorded = new AtomicReference<>();
    h.tap.engine().addListener((outcome, exchange) -> recorded.set(exchange));
    HttpClient client = h2cClient();

    Got got = get(client, "/api/users/1");

    assertThat(got.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(got.status()).isEqualTo(201);
    assertThat(got.headers()).containsExactly("content-type: application/json", "x-custom-header: v1",
        "set-cookie: s=old; Path=/");
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo(json);
    assertThat(got.trailers()).containsExactly("x-checksum: abc", "grpc-status: 0");
    EndpointReport e = h.awaitEndpoint("GET /api/users/{id}", x -> x.compared() == 1);
    assertThat(e.matched()).isEqualTo(1);
    assertThat(seen).containsExactlyInAnyOrder("old HTTP_2", "new HTTP_2");
    // both answers are recorded with their trailers, and without pseudo-headers
    for (dev.shadowparity.engine.BackendResult r : List.of(recorded.get().oldResult(), recorded.get().newResult())) {
      dev.shadowparity.engine.RecordedResponse answer = (dev.shadowparity.engine.RecordedResponse) r;
      assertThat(answer.trailers().get("grpc-status")).isEqualTo("0");
      assertThat(answer.trailers().get("x-checksum")).isEqualTo("abc");
      assertThat(answer.headers().entries()).noneMatch(field -> field.getKey().startsWith(":"));
    }
    assertThat(h.adminGet("/metrics").body()).contains("parity_client_requests_total{protocol=\"h2\"} 1.0")
        .contains("parity_client_requests_total{protocol=\"http/1.1\"} 0.0");
  }

  @Test
  void aDifferenceOverHttp2_isFoundAtItsField() throws Exception {
    h.old(answer("old", "{\"id\":1,\"name\":\"Ada\"}")).neu(answer("new", "{\"id\":1,\"name\":\"Bob\"}"))
        .tap("protocol: h2c\n");

    Got got = get(h2cClient(), "/api/users/1");

    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1,\"name\":\"Ada\"}");
    EndpointReport e = h.awaitEndpoint("GET /api/users/{id}", x -> x.compared() == 1);
    assertThat(e.mismatched()).isEqualTo(1);
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("/name");
  }

  @Test
  void anH2cClient_throughAnHttp11Old_andAnH2cNew_match() throws Exception {
    String json = "{\"id\":7}";
    h.old(answer("old", json)).neu(answer("new", json)).tap("protocol: {old: http/1.1, new: h2c}\n");

    Got got = get(h2cClient(), "/api/items/7");

    assertThat(got.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(got.status()).isEqualTo(201);
    // OLD's HTTP/1.1 names reach the HTTP/2 client lower-cased, and nothing of its framing (Transfer-Encoding) does
    assertThat(got.headers()).containsExactly("content-type: application/json", "x-custom-header: v1",
        "set-cookie: s=old; Path=/");
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo(json);
    assertThat(got.trailers()).containsExactly("x-checksum: abc", "grpc-status: 0");
    EndpointReport e = h.awaitEndpoint("GET /api/items/{id}", x -> x.compared() == 1);
    assertThat(e.matched()).as("HTTP/1.1 names against HTTP/2's lower-cased ones: %s", e.fields()).isEqualTo(1);
    assertThat(seen).containsExactlyInAnyOrder("old HTTP_1_1", "new HTTP_2");
  }

  @Test
  void anHttp11Client_throughAnH2cOld_andAnHttp11New_match() throws Exception {
    String json = "{\"id\":8}";
    AtomicReference<MultiMap> oldHeaders = new AtomicReference<>();
    h.old(req -> {
      oldHeaders.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      answer("old", json).handle(req);
    }).neu(answer("new", json)).tap("protocol:\n  old: h2c\n  new: http/1.1\n");

    java.net.http.HttpResponse<byte[]> got = h.get("/api/items/8");

    assertThat(got.statusCode()).isEqualTo(201);
    assertThat(new String(got.body(), StandardCharsets.UTF_8)).isEqualTo(json);
    assertThat(got.headers().firstValue("x-custom-header")).hasValue("v1");
    EndpointReport e = h.awaitEndpoint("GET /api/items/{id}", x -> x.compared() == 1);
    assertThat(e.matched()).as("%s", e.fields()).isEqualTo(1);
    assertThat(seen).containsExactlyInAnyOrder("old HTTP_2", "new HTTP_1_1");
    // the client's Host is OLD's :authority; no HTTP/1.1 connection header and no pseudo-header as a field
    assertThat(oldHeaders.get().names()).noneMatch(n -> n.startsWith(":"))
        .noneMatch(n -> n.equalsIgnoreCase("connection") || n.equalsIgnoreCase("keep-alive")
            || n.equalsIgnoreCase("upgrade") || n.equalsIgnoreCase("transfer-encoding"));
  }

  @Test
  void oldsTrailers_reachAnHttp11Client_onlyWhenItSaidTeTrailers() throws Exception {
    String json = "{\"id\":9}";
    h.old(answer("old", json)).neu(answer("new", json)).tap("protocol: h2c\nsample-rate: 0\n");

    String with = h.raw("GET /t HTTP/1.1\r\nHost: shop.example\r\nTE: trailers\r\nConnection: close\r\n\r\n", 10_000);
    String without = h.raw("GET /t HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n", 10_000);

    assertThat(with).startsWith("HTTP/1.1 201").contains("transfer-encoding: chunked")
        .containsPattern("\r\n0\r\nx-checksum: abc\r\ngrpc-status: 0\r\n\r\n$");
    assertThat(without).startsWith("HTTP/1.1 201").endsWith("\r\n0\r\n\r\n").doesNotContain("x-checksum");
  }

  @Test
  void aLargeBody_streamsIntact_withOldHeldBackWhileTheClientReadsNothing() throws Exception {
    byte[] big = new byte[6 * 1024 * 1024];
    new java.util.Random(42).nextBytes(big);
    AtomicBoolean oldHeldBack = new AtomicBoolean();
    h.old(req -> {
      HttpServerResponse res = req.response().setChunked(true).putHeader("content-type", "application/octet-stream");
      int[] at = {0};
      Runnable[] next = {null};
      next[0] = () -> {
        while (at[0] < big.length && !res.writeQueueFull()) {
          int n = Math.min(64 * 1024, big.length - at[0]);
          res.write(Buffer.buffer(java.util.Arrays.copyOfRange(big, at[0], at[0] + n)));
          at[0] += n;
        }
        if (at[0] >= big.length) {
          res.end();
        } else {
          oldHeldBack.set(true);
          res.drainHandler(v -> next[0].run());
        }
      };
      next[0].run();
    }).neu(req -> req.response().end("small")).tap("protocol: h2c\n");
    HttpClient client = h2cClient();

    HttpClientResponse resp = TapHarness.await(client.request(new RequestOptions().setHost("127.0.0.1")
        .setPort(h.tap.proxyPort()).setURI("/blob")).compose(r -> r.send()).map(r -> r.pause()));
    dev.shadowparity.Await.until(oldHeldBack::get, Duration.ofSeconds(20), "OLD held back while the client reads nothing");
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long[] length = {0};
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    resp.handler(b -> {
      digest.update(b.getBytes());
      length[0] += b.length();
    });
    resp.endHandler(v -> done.complete(null));
    resp.exceptionHandler(done::completeExceptionally);
    resp.resume();
    done.get(60, TimeUnit.SECONDS);

    assertThat(resp.version()).isEqualTo(HttpVersion.HTTP_2);
    assertThat(length[0]).isEqualTo(big.length);
    assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(big));
  }

  @Test
  void theSamePort_stillServesHttp11_andAnH2cUpgradeIsAnsweredOverHttp11() throws Exception {
    AtomicReference<MultiMap> oldHeaders = new AtomicReference<>();
    h.old(req -> {
      oldHeaders.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      seen.add("old " + req.version());
      req.response().putHeader("content-type", "text/plain").end("hello");
    }).neu(req -> req.response().putHeader("content-type", "text/plain").end("hello")).tap("");

    java.net.http.HttpResponse<byte[]> plain = h.get("/plain");
    String upgrade = h.raw("GET /up HTTP/1.1\r\nHost: shop.example\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n", 3_000);

    assertThat(plain.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
    assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(upgrade).startsWith("HTTP/1.1 200").endsWith("hello").doesNotContain("101");
    assertThat(oldHeaders.get().names()).noneMatch(n -> n.equalsIgnoreCase("upgrade") || n.equalsIgnoreCase("http2-settings"));
    assertThat(seen).containsExactly("old HTTP_1_1", "old HTTP_1_1");
    assertThat(h.awaitEndpoint("GET /up", x -> x.compared() == 1).matched()).isEqualTo(1);
    assertThat(h.adminGet("/metrics").body()).contains("parity_client_requests_total{protocol=\"http/1.1\"} 2.0")
        .contains("parity_client_requests_total{protocol=\"h2\"} 0.0");
  }

  @Test
  void curlWithPriorKnowledge_getsOldsAnswerOverHttp2() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(curlSpeaksHttp2(), "curl with HTTP2 is not installed");
    String json = "{\"id\":3}";
    h.old(answer("old", json)).neu(answer("new", json)).tap("");

    Process p = new ProcessBuilder("curl", "-sS", "--http2-prior-knowledge", "--max-time", "20", "-D", "-",
        "http://127.0.0.1:" + h.tap.proxyPort() + "/api/users/3").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // curl -D - prints the trailers after the body
    assertThat(out).startsWith("HTTP/2 201").contains("x-custom-header: v1")
        .endsWith(json + "x-checksum: abc\ngrpc-status: 0\n");
    assertThat(h.awaitEndpoint("GET /api/users/{id}", x -> x.compared() == 1).matched()).isEqualTo(1);
    assertThat(seen).containsExactlyInAnyOrder("old HTTP_1_1", "new HTTP_1_1");
  }

  @Test
  void anH2cPost_withoutLength_reachesAnHttp11OldChunked_andNewWithItsLength() throws Exception {
    Map<String, String> got = new TreeMap<>();
    io.vertx.core.Handler<HttpServerRequest> echo = req -> req.body().onSuccess(b -> {
      synchronized (got) {
        got.put(req.headers().contains("x-parity-shadow") ? "new" : "old",
            b + " te=" + req.getHeader("transfer-encoding") + " cl=" + req.getHeader("content-length"));
      }
      req.response().putHeader("content-type", "application/json").end("{\"ok\":true}");
    });
    h.old(echo).neu(echo).tap("protocol: {new: h2c}\nendpoints:\n  \"POST /api/search\":\n    mirror-methods: [POST]\n");
    HttpClient client = h2cClient();

    int status = TapHarness.await(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(h.tap.proxyPort()).setURI("/api/search"))
        .compose(r -> {
          r.setChunked(true); // HTTP/2: no length given, the body in two DATA frames
          r.write("{\"q\":");
          return r.end("\"x\"}").compose(v -> r.response());
        }).map(HttpClientResponse::statusCode));

    assertThat(status).isEqualTo(200);
    assertThat(h.awaitEndpoint("POST /api/search", x -> x.compared() == 1).matched()).isEqualTo(1);
    synchronized (got) {
      assertThat(got).containsEntry("old", "{\"q\":\"x\"} te=chunked cl=null").containsEntry("new", "{\"q\":\"x\"} te=null cl=9");
    }
  }

  @Test
  void teTrailers_goesToAnHttp2Backend_only() throws Exception {
    Map<String, String> te = new TreeMap<>();
    io.vertx.core.Handler<HttpServerRequest> record = req -> {
      synchronized (te) {
        te.put((req.headers().contains("x-parity-shadow") ? "new " : "old ") + req.version(), String.valueOf(req.getHeader("te")));
      }
      req.response().putHeader("content-type", "application/json").end("{}");
    };
    h.old(record).neu(record).tap("protocol: {old: http/1.1, new: h2c}\n");

    int status = TapHarness.await(h2cClient().request(new RequestOptions().setHost("127.0.0.1")
            .setPort(h.tap.proxyPort()).setURI("/te").putHeader("te", "trailers"))
        .compose(r -> r.send()).map(HttpClientResponse::statusCode));

    assertThat(status).isEqualTo(200);
    h.awaitEndpoint("GET /te", x -> x.compared() == 1);
    synchronized (te) {
      assertThat(te).containsExactly(Map.entry("new HTTP_2", "trailers"), Map.entry("old HTTP_1_1", "null"));
    }
  }

  @Test
  void anIdleHttp2Connection_isClosedAfterTheKeepAliveTimeout_andCountedFromItsAccept() throws Exception {
    h.old(req -> req.response().end("x")).neu(req -> req.response().end("x"))
        .tap("timeouts: {client-keep-alive: 300ms}\nlimits: {max-client-connections: 1}\n");
    byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] emptySettings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.tap.proxyPort())) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(preface);
      s.getOutputStream().write(emptySettings);
      s.getOutputStream().flush();
      TapHarness.eventually(() -> h.tap.registry().get("parity.client.connections").gauge().value() == 1,
          "the HTTP/2 connection counted");
      // the cap is reached: another connection is closed as soon as it is accepted
      try (java.net.Socket other = new java.net.Socket("127.0.0.1", h.tap.proxyPort())) {
        other.setSoTimeout(15_000);
        assertThat(other.getInputStream().read()).isEqualTo(-1);
      }
      long start = System.nanoTime();
      java.io.InputStream in = s.getInputStream();
      while (in.read() >= 0) {
        // the server's SETTINGS and its ack of ours, then the end of the stream
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
    assertThat(h.adminGet("/metrics").body()).contains("parity_client_timeouts_total{kind=\"keep-alive\"} 1.0")
        .contains("parity_client_connections_refused_total 1.0");
  }

  private static boolean curlSpeaksHttp2() {
    try {
      Process p = new ProcessBuilder("curl", "-V").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains("HTTP2");
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
