package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.report.EndpointReport;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the client gets through the tap is exactly what OLD sent, whatever NEW does. */
class TapPrimaryPathTest {

  private final TapHarness h = new TapHarness();

  @AfterEach
  void close() {
    h.close();
  }

  static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  static final byte[] BINARY = new byte[70_000];

  static {
    new Random(1).nextBytes(BINARY);
  }

  /** OLD answers per path; NEW answers the same with a twist, so comparisons run. */
  static void shop(HttpServerRequest req, boolean isNew) {
    HttpServerResponse res = req.response();
    res.putHeader("X-Backend", isNew ? "new" : "old");
    switch (req.path()) {
      case "/json" -> res.putHeader("Content-Type", "application/json").end(isNew ? "{\"a\":1.0,\"b\":\"x\"}" : "{\"b\":\"x\",\"a\":1}");
      case "/html" -> res.putHeader("Content-Type", "text/html; charset=utf-8").end("<html><body><p>It's " + (isNew ? "new" : "old") + "</p></body></html>\n");
      case "/binary" -> res.putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(BINARY));
      case "/empty" -> res.putHeader("Content-Type", "text/plain").end();
      case "/chunked" -> {
        res.setChunked(true).putHeader("Content-Type", "text/plain");
        for (int i = 0; i < 50; i++) {
          res.write("line " + i + "\n");
        }
        res.end();
      }
      case "/gzip" -> {
        try {
          res.putHeader("Content-Type", "application/json").putHeader("Content-Encoding", "gzip").end(Buffer.buffer(gzip("{\"gz\":true}")));
        } catch (Exception e) {
          res.setStatusCode(500).end();
        }
      }
      case "/nocontent" -> res.setStatusCode(204).end();
      case "/notmodified" -> res.setStatusCode(304).putHeader("ETag", "\"v1\"").end();
      case "/hop" -> res.putHeader("Connection", "X-Hop").putHeader("X-Hop", "secret").putHeader("X-End", "kept")
          .putHeader("Content-Type", "text/plain").end("hop");
      default -> res.setStatusCode(404).end("no route " + req.path());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/json", "/html", "/binary", "/empty", "/chunked", "/gzip", "/nocontent", "/notmodified"})
  void clientGetsOldResponseByteForByte(String path) throws Exception {
    AtomicReference<byte[]> sentByOld = new AtomicReference<>();
    h.old(req -> shop(req, false)).neu(req -> shop(req, true)).tap("");
    HttpResponse<byte[]> direct = h.client.send(HttpRequest.newBuilder(java.net.URI.create(h.oldUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    sentByOld.set(direct.body());
    HttpResponse<byte[]> viaTap = h.get(path);
    assertThat(viaTap.statusCode()).isEqualTo(direct.statusCode());
    assertThat(viaTap.body()).isEqualTo(sentByOld.get());
    assertThat(viaTap.headers().firstValue("X-Backend")).contains("old");
    assertThat(viaTap.headers().firstValue("Content-Type")).isEqualTo(direct.headers().firstValue("Content-Type"));
    assertThat(viaTap.headers().firstValue("Content-Encoding")).isEqualTo(direct.headers().firstValue("Content-Encoding"));
    assertThat(viaTap.headers().firstValue("ETag")).isEqualTo(direct.headers().firstValue("ETag"));
    EndpointReport r = h.awaitEndpoint("GET " + path, e -> e.compared() == 1);
    assertThat(r.errors()).isZero();
  }

  @Test
  void comparisonsRecorded_matchAndMismatch() throws Exception {
    h.old(req -> shop(req, false)).neu(req -> shop(req, true)).tap("rules: {ignore-headers: [x-backend]}\n");
    h.get("/json");
    h.get("/html");
    assertThat(h.awaitEndpoint("GET /json", e -> e.compared() == 1).matched()).isEqualTo(1);
    EndpointReport html = h.awaitEndpoint("GET /html", e -> e.compared() == 1);
    assertThat(html.mismatched()).isEqualTo(1);
    assertThat(html.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("body");
  }

  @Test
  void head_passesHeadersWithoutBody() throws Exception {
    h.old(req -> req.response().putHeader("Content-Type", "text/plain").putHeader("Content-Length", "12").end())
        .neu(req -> req.response().putHeader("Content-Type", "text/plain").putHeader("Content-Length", "12").end()).tap("");
    HttpResponse<byte[]> r = h.send(HttpRequest.newBuilder(h.proxy("/file")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Length")).contains("12");
    assertThat(r.body()).isEmpty();
    assertThat(h.awaitEndpoint("HEAD /file", e -> e.compared() == 1).matched()).isEqualTo(1);
  }

  @Test
  void hopByHopHeadersRemovedBothWays() throws Exception {
    AtomicReference<MultiMap> oldSaw = new AtomicReference<>();
    h.old(req -> {
      oldSaw.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      shop(req, false);
    }).neu(req -> shop(req, true)).tap("");
    HttpResponse<byte[]> r = h.send(HttpRequest.newBuilder(h.proxy("/hop")).header("X-Secret-Hop", "1")
        .header("X-Keep", "yes").build());
    assertThat(r.headers().firstValue("X-Hop")).isEmpty();
    assertThat(r.headers().firstValue("X-End")).contains("kept");
    assertThat(oldSaw.get().get("X-Keep")).isEqualTo("yes");
    // JDK client forbids setting Connection; check the request side with a raw socket
    String raw = h.raw("GET /hop HTTP/1.1\r\nHost: x\r\nConnection: close, X-Secret-Hop\r\nX-Secret-Hop: 1\r\nTE: trailers\r\n\r\n", 1000);
    assertThat(raw).startsWith("HTTP/1.1 200");
    assertThat(oldSaw.get().contains("X-Secret-Hop")).isFalse();
    assertThat(oldSaw.get().contains("TE")).isFalse();
  }

  @Test
  void largeBody50MB_streamedIntact_andJudgedBySize_notCopied() throws Exception {
    int size = 50 * 1024 * 1024;
    byte[] chunk = new byte[64 * 1024];
    new Random(7).nextBytes(chunk);
    h.old(req -> streamBody(req.response(), chunk, size / chunk.length)).neu(req -> req.response().end("small")).tap("");
    HttpResponse<java.io.InputStream> r = h.client.send(HttpRequest.newBuilder(h.proxy("/big")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    TapHarness.assertChunksRepeated(r.body(), chunk, size / chunk.length);
    // far over the copy cap: hashed while it streams, then past the digest's limit only counted; NEW's "small" is
    // more than 8 times shorter, so the sizes alone are a difference
    EndpointReport e = h.awaitEndpoint("GET /big", x -> x.compared() == 1);
    assertThat(e.mismatched()).isEqualTo(1);
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("body");
    TapHarness.eventually(() -> h.tap.registry().get("parity.buffered").gauge().value() == 0, "no copy held");
  }

  /** Writes {@code count} chunks with backpressure; records whether the writer ever had to wait. */
  static void streamBody(HttpServerResponse res, byte[] chunk, int count) {
    streamBody(res, chunk, count, new AtomicBoolean());
  }

  static void streamBody(HttpServerResponse res, byte[] chunk, int count, AtomicBoolean hadToWait) {
    res.setChunked(true);
    Buffer b = Buffer.buffer(chunk);
    int[] left = {count};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (left[0] > 0) {
        res.write(b);
        left[0]--;
        if (res.writeQueueFull()) {
          hadToWait.set(true);
          res.drainHandler(v -> pump[0].run());
          return;
        }
      }
      res.end();
    };
    pump[0].run();
  }

  @Test
  void slowClient_backpressurePausesOld_andAllBytesArrive() throws Exception {
    AtomicBoolean oldWaited = new AtomicBoolean();
    byte[] chunk = new byte[64 * 1024];
    int count = 512; // 32 MiB, more than loopback socket buffers hold
    h.old(req -> streamBody(req.response(), chunk, count, oldWaited)).neu(req -> req.response().end()).tap("");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.tap.proxyPort())) {
      s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(1000); // a client that does not read for a second
      java.io.InputStream in = s.getInputStream();
      byte[] buf = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
      }
      assertThat(total).isGreaterThan((long) count * chunk.length);
    }
    assertThat(oldWaited).as("OLD had to wait for the slow client (backpressure through the tap)").isTrue();
  }

  @Test
  void http10Client_getsWholeBody_evenWhenOldChunks() throws Exception {
    h.old(req -> shop(req, false)).neu(req -> shop(req, true)).tap("");
    String raw = h.raw("GET /chunked HTTP/1.0\r\n\r\n", 5000);
    assertThat(raw).startsWith("HTTP/1.0 200");
    assertThat(raw).doesNotContainIgnoringCase("transfer-encoding: chunked");
    assertThat(raw).contains("line 0\n").endsWith("line 49\n");
  }

  @Test
  void keepAliveAndPipelining_answersInOrder() throws Exception {
    h.old(req -> shop(req, false)).neu(req -> shop(req, true)).tap("");
    String raw = h.raw("GET /json HTTP/1.1\r\nHost: x\r\n\r\nGET /html HTTP/1.1\r\nHost: x\r\n\r\nGET /empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
    int first = raw.indexOf("{\"b\":\"x\",\"a\":1}");
    int second = raw.indexOf("It's old");
    assertThat(first).isPositive();
    assertThat(second).isGreaterThan(first);
    assertThat(raw.split("HTTP/1.1 200", -1)).hasSize(4);
  }

  @Test
  void expect100Continue_relayedFromOld() throws Exception {
    h.old(req -> req.body().onSuccess(b -> req.response().end("got " + b.length())))
        .neu(req -> req.body().onSuccess(b -> req.response().end("got " + b.length())))
        .tap("mirror-methods: [GET, POST]\n");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.tap.proxyPort())) {
      s.setSoTimeout(5000);
      var out = s.getOutputStream();
      out.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buf = new byte[256];
      int n = s.getInputStream().read(buf);
      assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
      out.write("hello".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String rest = TapHarness.readAll(s.getInputStream());
      assertThat(rest).contains("200 OK").endsWith("got 5");
    }
    assertThat(h.awaitEndpoint("POST /upload", e -> e.compared() == 1).matched()).isEqualTo(1);
  }

  @Test
  void oldDown_gives502_andCountsError() throws Exception {
    h.neu(req -> req.response().end("ok"));
    h.oldServer = null;
    String full = "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: http://127.0.0.1:1\nnew: " + h.newUrl() + "\n";
    h.tap = TapHarness.await(Tap.start(h.vertx, dev.shadowparity.config.ConfigLoader.parse(full, "t"),
        dev.shadowparity.config.ConfigLoader.parseTap(full, "t")));
    HttpResponse<byte[]> r = h.get("/x");
    assertThat(r.statusCode()).isEqualTo(502);
    EndpointReport e = h.awaitEndpoint("GET /x", x -> x.errors() == 1);
    assertThat(e.errorKinds()).containsEntry("old:connect", 1L);
    // the operator hears of it once, not once per request
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        "dev.shadowparity.tap.impl.ProxyHandler");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try {
      for (int i = 0; i < 5; i++) {
        assertThat(h.get("/old-down-logged").statusCode()).isEqualTo(502);
      }
      h.awaitEndpoint("GET /old-down-logged", x -> x.errors() == 5);
    } finally {
      log.detachAppender(seen);
    }
    assertThat(seen.list.stream().filter(x -> x.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage))
        .singleElement().asString().contains("OLD's answer of GET /old-down-logged: connect").contains("502");
  }

  @Test
  void oldTooSlow_gives504() throws Exception {
    h.old(req -> h.vertx.setTimer(3000, t -> req.response().end("late"))).neu(req -> req.response().end("ok"))
        .tap("timeouts: {old: 300ms}\n");
    HttpResponse<byte[]> r = h.get("/slow");
    // OLD answers 200 after 3 s: a 504 can only come from the tap's deadline
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(h.awaitEndpoint("GET /slow", x -> x.errors() == 1).errorKinds()).containsEntry("old:timeout", 1L);
  }

  @Test
  void oldStallingMidBody_pastItsTimeout_closesTheClientConnection_andCountsATimeout() throws Exception {
    h.old(req -> {
      HttpServerResponse res = req.response().setChunked(true).putHeader("Content-Type", "text/plain");
      res.write("first part\n"); // then nothing more
    }).neu(req -> req.response().end("ok")).tap("timeouts: {old: 300ms}\n");
    TapHarness.RawAnswer answer = h.rawAnswer("GET /stall HTTP/1.1\r\nHost: x\r\n\r\n", 30_000);
    String raw = answer.text();
    assertThat(raw).startsWith("HTTP/1.1 200").contains("first part").doesNotContain("\r\n0\r\n\r\n"); // no last chunk
    assertThat(answer.closed()).as("closed by the deadline, not by the client's read timeout").isTrue();
    assertThat(h.awaitEndpoint("GET /stall", x -> x.errors() == 1).errorKinds()).containsEntry("old:timeout", 1L);
  }

  @Test
  void manyRequestsWithinTheOldTimeout_noneTimesOut() throws Exception {
    // deadlines of finished requests must leave the list: a later sweep must not reset a reused connection
    h.old(req -> req.response().end("fine")).neu(req -> req.response().end("fine")).tap("timeouts: {old: 300ms}\n");
    for (int i = 0; i < 40; i++) {
      HttpResponse<byte[]> r = h.get("/quick");
      assertThat(r.statusCode()).isEqualTo(200);
      Thread.sleep(20);
    }
    EndpointReport e = h.awaitEndpoint("GET /quick", x -> x.compared() + x.errors() == 40);
    assertThat(e.errors()).isZero();
    assertThat(e.matched()).isEqualTo(40);
  }

  @Test
  void oldsReasonPhrase_reachesTheClient() throws Exception {
    h.old(req -> {
      if (req.path().equals("/reason")) {
        req.response().setStatusMessage("Fine Thanks");
      }
      req.response().end("x");
    })
        .neu(req -> req.response().end("x")).tap("");
    String raw = h.raw("GET /reason HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
    assertThat(raw).startsWith("HTTP/1.1 200 Fine Thanks\r\n");
    String plain = h.raw("GET /reason-std HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);
    assertThat(plain).startsWith("HTTP/1.1 200 OK\r\n");
  }

  @Test
  void forwardedHeadersAndHostMode() throws Exception {
    AtomicReference<MultiMap> oldSaw = new AtomicReference<>();
    h.old(req -> {
      oldSaw.set(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      req.response().end();
    }).neu(req -> req.response().end()).tap("forwarded-headers: true\nhost-header: target\n");
    h.send(HttpRequest.newBuilder(h.proxy("/f")).build());
    assertThat(oldSaw.get().get("host")).isEqualTo("127.0.0.1:" + h.oldServer.actualPort());
    assertThat(oldSaw.get().get("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(oldSaw.get().get("x-forwarded-proto")).isEqualTo("http");
    assertThat(oldSaw.get().get("x-forwarded-host")).isEqualTo("127.0.0.1:" + h.tap.proxyPort());
  }

  @Test
  void clientHostHeaderKeptByDefault() throws Exception {
    AtomicReference<String> oldHost = new AtomicReference<>();
    h.old(req -> {
      oldHost.set(req.getHeader("host"));
      req.response().end();
    }).neu(req -> req.response().end()).tap("");
    h.raw("GET /h HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n\r\n", 3000);
    assertThat(oldHost.get()).isEqualTo("shop.example.com");
  }
}
