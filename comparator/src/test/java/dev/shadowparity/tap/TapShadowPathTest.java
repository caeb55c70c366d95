package dev.shadowparity.tap;

import io.vertx.core.Handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.report.EndpointReport;
import io.vertx.core.buffer.Buffer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whatever NEW does, the client's response is OLD's; NEW's failures are counted, never felt. */
class TapShadowPathTest {

  private static final String OLD_BODY = "{\"id\":7,\"name\":\"caf\\u00e9\",\"price\":1250}";

  private final TapHarness h = new TapHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private TapHarness oldShop() {
    return h.old(req -> req.response().putHeader("Content-Type", "application/json").end(OLD_BODY));
  }

  private void assertClientGotOld(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(OLD_BODY);
  }

  @Test
  void newDown_clientUnchanged_errorCounted() throws Exception {
    oldShop().tap(""); // NEW points at a closed port
    assertClientGotOld(h.get("/api/products/7"));
    EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.errors() == 1);
    assertThat(e.errorKinds()).containsEntry("new:connect", 1L);
    assertThat(e.compared()).isZero();
  }

  @Test
  void newNotAnsweringYet_theClientHasOldsAnswerMeanwhile() throws Exception {
    // NEW answers only when the test lets it, and its timeout is longer than the client waits: a tap that held the
    // client's answer for NEW would make the client's request time out
    io.vertx.core.Promise<Void> release = io.vertx.core.Promise.promise();
    java.util.concurrent.atomic.AtomicBoolean newAnswered = new java.util.concurrent.atomic.AtomicBoolean();
    oldShop().neu(req -> release.future().onComplete(v -> {
      newAnswered.set(true);
      req.response().end(OLD_BODY);
    })).tap("timeouts: {new: 60s}\n");
    HttpResponse<byte[]> r = h.send(java.net.http.HttpRequest.newBuilder(h.proxy("/api/products/7"))
        .timeout(java.time.Duration.ofSeconds(20)).GET().build());
    assertClientGotOld(r);
    assertThat(newAnswered.get()).as("the client had OLD's answer before NEW answered").isFalse();
    h.vertx.runOnContext(v -> release.complete());
    EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.compared() == 1);
    assertThat(e.errors()).as("NEW answered within its timeout, after the client had its answer").isZero();
  }

  @Test
  void newSlowerThanItsTimeout_clientNotDelayed_timeoutCounted() throws Exception {
    oldShop().neu(req -> h.vertx.setTimer(3000, t -> req.response().end(OLD_BODY))).tap("timeouts: {new: 200ms}\n");
    assertClientGotOld(h.get("/api/products/7"));
    EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.errors() == 1);
    assertThat(e.errorKinds()).containsEntry("new:timeout", 1L);
    assertThat(e.verdict()).isNotEqualTo(dev.shadowparity.report.Verdict.PROVEN);
  }

  @Test
  void newResetsMidBody_clientUnchanged_resetCounted() throws Exception {
    oldShop().neu(req -> {
      req.response().setChunked(true).write("{\"id\":7,\"na");
      h.vertx.setTimer(50, t -> req.connection().close());
    }).tap("");
    assertClientGotOld(h.get("/api/products/7"));
    EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.errors() == 1);
    assertThat(e.errorKinds()).containsEntry("new:reset", 1L);
  }

  @Test
  void newAnswersGarbage_clientUnchanged_protocolErrorCounted_notLoggedAsAnError() throws Exception {
    try (LogCapture log = new LogCapture()) {
      oldShop().rawNew("this is not HTTP at all\r\n\r\n").tap("");
      assertClientGotOld(h.get("/api/products/7"));
      EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.errors() == 1);
      assertThat(e.errorKinds()).hasSize(1);
      assertThat(e.errorKinds()).containsEntry("new:protocol", 1L);
      // counted is enough: Vert.x used to log "invalid version format" at ERROR for every such answer
      assertThat(log.errors()).isEmpty();
    }
  }

  @Test
  void newGetsSameRequestWithShadowHeader() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    oldShop().neu(req -> {
      seen.add(req.method() + " " + req.uri() + " shadow=" + req.getHeader("X-Parity-Shadow") + " accept=" + req.getHeader("Accept"));
      req.response().putHeader("Content-Type", "application/json").end("{\"price\":1250.0,\"name\":\"café\",\"id\":7}");
    }).tap("");
    h.send(HttpRequest.newBuilder(h.proxy("/api/products/7?lang=fr")).header("Accept", "application/json").build());
    EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.compared() == 1);
    assertThat(e.matched()).isEqualTo(1);
    assertThat(seen).containsExactly("GET /api/products/7?lang=fr shadow=1 accept=application/json");
  }

  @Test
  void postNotMirroredByDefault() throws Exception {
    AtomicInteger newCalls = new AtomicInteger();
    h.old(req -> req.body().onSuccess(b -> req.response().end("created " + b.length())))
        .neu(req -> {
          newCalls.incrementAndGet();
          req.response().end("created");
        }).tap("");
    HttpResponse<byte[]> r = h.send(HttpRequest.newBuilder(h.proxy("/api/orders"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":2}")).build());
    assertThat(new String(r.body())).isEqualTo("created 9");
    EndpointReport e = h.awaitEndpoint("POST /api/orders", x -> x.skipped().containsKey("unsafe-method"));
    assertThat(e.skipped()).containsEntry("unsafe-method", 1L);
    Thread.sleep(200);
    assertThat(newCalls).hasValue(0);
  }

  @Test
  void postMirroredWhenAllowedForTheEndpoint_withBody() throws Exception {
    List<String> newBodies = new CopyOnWriteArrayList<>();
    h.old(req -> req.body().onSuccess(b -> req.response().end("ok " + b.length())))
        .neu(req -> req.body().onSuccess(b -> {
          newBodies.add(b.toString());
          req.response().end("ok " + b.length());
        }))
        .tap("endpoints:\n  \"POST /api/search\": {mirror-methods: [POST]}\n");
    h.send(HttpRequest.newBuilder(h.proxy("/api/search")).POST(HttpRequest.BodyPublishers.ofString("q=caf%C3%A9")).build());
    h.send(HttpRequest.newBuilder(h.proxy("/api/orders")).POST(HttpRequest.BodyPublishers.ofString("x")).build());
    assertThat(h.awaitEndpoint("POST /api/search", x -> x.compared() == 1).matched()).isEqualTo(1);
    assertThat(newBodies).containsExactly("q=caf%C3%A9");
    assertThat(h.awaitEndpoint("POST /api/orders", x -> !x.skipped().isEmpty()).skipped()).containsEntry("unsafe-method", 1L);
  }

  @Test
  void requestBodyOverCap_notMirrored() throws Exception {
    h.old(req -> req.body().onSuccess(b -> req.response().end("ok"))).neu(req -> req.response().end("ok"))
        .tap("mirror-methods: [POST]\nlimits: {request-body-bytes: 100}\n");
    HttpResponse<byte[]> r = h.send(HttpRequest.newBuilder(h.proxy("/upload")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))).build());
    assertThat(new String(r.body())).isEqualTo("ok");
    assertThat(h.awaitEndpoint("POST /upload", x -> !x.skipped().isEmpty()).skipped()).containsEntry("body-too-large", 1L);
  }

  @Test
  void sampleRateZero_mirrorsNothing() throws Exception {
    AtomicInteger newCalls = new AtomicInteger();
    oldShop().neu(req -> {
      newCalls.incrementAndGet();
      req.response().end();
    }).tap("sample-rate: 0\n");
    for (int i = 0; i < 20; i++) {
      h.get("/api/products/" + i);
    }
    EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.skipped().getOrDefault("sampled-out", 0L) == 20);
    assertThat(e.compared()).isZero();
    assertThat(newCalls).hasValue(0);
  }

  @Test
  void sampleRateHalf_mirrorsAboutHalf() throws Exception {
    oldShop().neu(req -> req.response().putHeader("Content-Type", "application/json").end(OLD_BODY)).tap("sample-rate: 0.5\n");
    for (int i = 0; i < 400; i++) {
      h.get("/api/products/" + i);
    }
    EndpointReport e = h.awaitEndpoint("GET /api/products/{id}",
        x -> x.compared() + x.skipped().getOrDefault("sampled-out", 0L) == 400);
    // binomial(400, 0.5): 6 standard deviations either side of 200
    assertThat(e.compared()).isBetween(140L, 260L);
  }

  @Test
  void perEndpointSampleRate_overridesTheGlobalOne() throws Exception {
    oldShop().neu(req -> req.response().putHeader("Content-Type", "application/json").end(OLD_BODY))
        .tap("sample-rate: 1\nendpoints:\n  \"GET /api/noisy\": {sample-rate: 0}\n");
    for (int i = 0; i < 10; i++) {
      h.get("/api/noisy");
      h.get("/api/products/" + i);
    }
    assertThat(h.awaitEndpoint("GET /api/noisy", x -> x.skipped().getOrDefault("sampled-out", 0L) == 10).compared()).isZero();
    assertThat(h.awaitEndpoint("GET /api/products/{id}", x -> x.compared() == 10).skipped()).isEmpty();
  }

  @Test
  void stickySampling_sameUserAlwaysInOrOut() throws Exception {
    List<String> mirroredUsers = new CopyOnWriteArrayList<>();
    oldShop().neu(req -> {
      mirroredUsers.add(req.getHeader("X-User"));
      req.response().putHeader("Content-Type", "application/json").end(OLD_BODY);
    }).tap("sample-rate: 0.5\nsticky: header:X-User\n");
    for (int round = 0; round < 5; round++) {
      for (int u = 0; u < 20; u++) {
        h.send(HttpRequest.newBuilder(h.proxy("/api/products/1")).header("X-User", "user-" + u).build());
      }
    }
    h.awaitEndpoint("GET /api/products/{id}", x -> x.compared() + x.skipped().getOrDefault("sampled-out", 0L) == 100);
    for (int u = 0; u < 20; u++) {
      String user = "user-" + u;
      long n = mirroredUsers.stream().filter(user::equals).count();
      assertThat(n).as(user).isIn(0L, 5L);
    }
    assertThat(mirroredUsers).isNotEmpty();
    assertThat(mirroredUsers.stream().distinct().count()).isLessThan(20);
  }

  @Test
  void overload_dropsAndCounts_neverQueuesWithoutLimit() throws Exception {
    // big JSON bodies keep the single compare thread busy; the queue holds one
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 60_000; i++) {
      big.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append(",\"v\":\"").append(i % 7).append("\"}");
    }
    String body = big.append(']').toString();
    String newBody = body.replace("\"v\":\"3\"", "\"v\":\"4\"");
    h.old(req -> req.response().putHeader("Content-Type", "application/json").end(body))
        .neu(req -> req.response().putHeader("Content-Type", "application/json").end(newBody))
        .tap("limits: {compare-threads: 1, compare-queue: 1}\n");
    List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(h.client.sendAsync(HttpRequest.newBuilder(h.proxy("/api/dump")).build(), HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (CompletableFuture<HttpResponse<byte[]>> f : all) {
      assertThat(f.get().body()).hasSize(body.length());
    }
    EndpointReport e = h.awaitEndpoint("GET /api/dump",
        x -> x.compared() + x.skipped().getOrDefault("overload", 0L) == 30);
    assertThat(e.skipped().getOrDefault("overload", 0L)).isPositive();
    assertThat(e.compared()).isPositive();
  }

  @Test
  void answersTooLongToCompareWithinTheBudget_areJudgedByDigest_equalOnesMatch_differentOnesAreNotComparable()
      throws Exception {
    String body = "[" + "1,".repeat(50_000) + "1]"; // 100 KB: the pair would need 2 MB of working memory
    String other = "[" + "2,".repeat(50_000) + "1]"; // as long, other bytes
    h.old(req -> req.response().putHeader("Content-Type", "application/json").end(body))
        .neu(req -> req.response().putHeader("Content-Type", "application/json")
            .end(req.path().equals("/api/long") ? body : other))
        .tap("limits: {max-buffered-bytes: 1000000}\n");
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> r = h.get("/api/long");
      assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(body);
      assertThat(new String(h.get("/api/other").body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(body);
    }
    EndpointReport e = h.awaitEndpoint("GET /api/long", x -> x.compared() == 3);
    assertThat(e.matched()).isEqualTo(3);
    assertThat(e.skipped()).isEmpty();
    EndpointReport o = h.awaitEndpoint("GET /api/other", x -> x.notComparable().getOrDefault("over-cap", 0L) == 3);
    assertThat(o.compared()).isZero();
    assertThat(o.failures()).as("what cannot be judged counts against PROVEN").isEqualTo(3);
    assertThat(o.samples()).isNotEmpty().allSatisfy(x -> assertThat(x.error()).startsWith("over-cap: "));
    TapHarness.eventually(() -> h.tap.registry().get("parity.buffered").gauge().value() == 0, "every reserved byte released");
  }

  @Test
  void aNewAnswerAThousandTimesLargerThanOlds_makesTheEndpointFailing() throws Exception {
    byte[] huge = new byte[OLD_BODY.length() * 1000];
    java.util.Arrays.fill(huge, (byte) ' ');
    oldShop().neu(req -> req.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(huge)))
        .tap("limits: {response-copy-bytes: 10000}\n");
    for (int i = 0; i < 3; i++) {
      assertClientGotOld(h.get("/api/products/" + i));
    }
    EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.compared() == 3);
    assertThat(e.mismatched()).isEqualTo(3);
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field, EndpointReport.FieldCount::kind)
        .contains(org.assertj.core.groups.Tuple.tuple("body", "size"));
    assertThat(e.verdict()).isEqualTo(dev.shadowparity.report.Verdict.FAILING);
  }

  @Test
  void byteBudgetExhausted_dropsAsOverload_andReleasesEveryByte() throws Exception {
    String body = "{\"pad\":\"" + "x".repeat(2000) + "\"}";
    h.old(req -> h.vertx.setTimer(100, t -> req.response().putHeader("Content-Type", "application/json").end(body)))
        .neu(req -> h.vertx.setTimer(100, t -> req.response().putHeader("Content-Type", "application/json").end(body)))
        // 20 exchanges of 4 KB copies each (80 KB) against 60 KB, and each comparison asks 40 KB of working memory more
        .tap("limits: {max-buffered-bytes: 60000}\n");
    List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(h.client.sendAsync(java.net.http.HttpRequest.newBuilder(h.proxy("/api/pad")).build(), HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (CompletableFuture<HttpResponse<byte[]>> f : all) {
      assertThat(new String(f.get().body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(body);
    }
    EndpointReport e = h.awaitEndpoint("GET /api/pad", x -> x.compared() + x.skipped().getOrDefault("overload", 0L) == 20);
    assertThat(e.skipped().getOrDefault("overload", 0L)).isPositive();
    assertThat(e.compared()).isPositive();
    TapHarness.eventually(() -> h.tap.registry().get("parity.buffered").gauge().value() == 0, "every reserved byte released");
  }

  @Test
  void newResponseOverCap_isJudgedByItsSize_notSkipped_andNotLoggedAsAnError() throws Exception {
    try (LogCapture log = new LogCapture()) {
      oldShop().neu(req -> req.response().end(Buffer.buffer(new byte[500_000]))).tap("limits: {response-copy-bytes: 1000}\n");
      assertClientGotOld(h.get("/api/products/7"));
      EndpointReport e = h.awaitEndpoint("GET /api/products/{id}", x -> x.compared() == 1);
      assertThat(e.skipped()).isEmpty();
      assertThat(e.mismatched()).isEqualTo(1);
      // past 16 times the cap even the digest stops: the call to NEW is reset at its Content-Length; that reset once
      // reached Vert.x's log as "Stream reset: 0"
      TapHarness.eventually(() -> h.tap.registry().get("parity.buffered").gauge().value() == 0, "the call to NEW ended");
      Thread.sleep(100);
      assertThat(log.errors()).isEmpty();
    }
  }

  /** The capture holds every exchange that reached NEW's side, failed ones included (docs/capture-format.md). */
  @Test
  void exchangesWithAFailedBackend_areInTheCapture() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("parity-capture");
    java.nio.file.Path capture = dir.resolve("cap.ndjson");
    try {
      oldShop().tap("capture: {file: " + capture + "}\n"); // NEW points at a closed port
      assertClientGotOld(h.get("/api/products/7"));
      assertClientGotOld(h.get("/api/products/8"));
      h.awaitEndpoint("GET /api/products/{id}", x -> x.errors() == 2);
      TapHarness.eventually(() -> {
        try {
          return java.nio.file.Files.exists(capture) && java.nio.file.Files.readAllLines(capture).size() == 2;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, "two capture lines");
      for (String line : java.nio.file.Files.readAllLines(capture)) {
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        assertThat(n.at("/old/status").asInt()).isEqualTo(200);
        assertThat(n.at("/new/error").asText()).isEqualTo("connect");
      }
    } finally {
      h.close();
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
        for (java.nio.file.Path f : files.toList()) {
          java.nio.file.Files.delete(f);
        }
      }
      java.nio.file.Files.delete(dir);
    }
  }

  /** A HEAD of a large resource has no body, whatever its Content-Length says: compared, not hashed. */
  @Test
  void headOfALargeResource_isCompared_notTakenForAnAnswerOverTheCap() throws Exception {
    byte[] big = new byte[200_000];
    Handler<io.vertx.core.http.HttpServerRequest> both = req -> {
      req.response().putHeader("Content-Type", "application/octet-stream");
      if (req.method() == io.vertx.core.http.HttpMethod.HEAD) {
        req.response().putHeader("Content-Length", String.valueOf(big.length)).end();
      } else {
        req.response().end(Buffer.buffer(big));
      }
    };
    h.old(both).neu(both).tap("limits: {response-copy-bytes: 10000}\n");
    for (int i = 0; i < 3; i++) {
      assertThat(h.client.send(java.net.http.HttpRequest.newBuilder(h.proxy("/file.bin"))
          .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      assertThat(h.get("/file.bin").body()).hasSize(big.length);
    }
    EndpointReport head = h.awaitEndpoint("HEAD /file.bin", x -> x.compared() == 3);
    assertThat(head.matched()).isEqualTo(3);
    EndpointReport get = h.awaitEndpoint("GET /file.bin", x -> x.compared() == 3);
    assertThat(get.matched()).as("20 times the cap on both sides, equal digests").isEqualTo(3);
  }

  /**
   * The copy cap leaves room for the copies and the comparison together: answers just under it are compared, just
   * over it hashed; none is dropped as overload on an idle tap (they once were, in a band below the cap).
   */
  @Test
  void answersAroundTheCopyCap_areAllJudged_onAnIdleTap() throws Exception {
    String under = "[" + "1,".repeat(20_000) + "1]"; // 40 KB: copied and compared within a 1 MB budget
    String over = "[" + "1,".repeat(24_000) + "1]"; // 48 KB: over the cap that budget allows (1 MB / 22), hashed
    h.old(req -> req.response().putHeader("Content-Type", "application/json").end(req.path().endsWith("under") ? under : over))
        .neu(req -> req.response().putHeader("Content-Type", "application/json").end(req.path().endsWith("under") ? under : over))
        .tap("limits: {max-buffered-bytes: 1000000}\n");
    for (int i = 0; i < 3; i++) {
      int n = i + 1;
      // one at a time, each recorded before the next: the tap is idle whenever a request comes
      for (String endpoint : List.of("GET /api/under", "GET /api/over")) {
        h.get(endpoint.substring(4));
        h.awaitEndpoint(endpoint, x -> x.compared() + x.skipped().values().stream().mapToLong(Long::longValue).sum() == n);
        TapHarness.eventually(() -> h.tap.registry().get("parity.buffered").gauge().value() == 0, "the exchange let go");
      }
    }
    for (String endpoint : List.of("GET /api/under", "GET /api/over")) {
      EndpointReport e = h.awaitEndpoint(endpoint, x -> x.compared() == 3);
      assertThat(e.skipped()).as(endpoint).isEmpty();
      assertThat(e.matched()).as(endpoint).isEqualTo(3);
    }
  }

  /** A client that goes away while sending its body ends the exchange as a counted skip, not as nothing. */
  @Test
  void aClientThatDiesMidUpload_isCountedAsClientAborted() throws Exception {
    h.old(req -> oldSawUpload.set(true)) // never answers: the body never ends
        .neu(req -> req.response().end("{}")).tap("endpoints: {\"POST /api/upload\": {mirror-methods: [POST]}}\n");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.tap.proxyPort())) {
      s.getOutputStream().write(("POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"
          + "only part of it").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      // the tap has the request once OLD has it; then the client vanishes
      TapHarness.eventually(oldSawUpload::get, "the upload reached OLD through the tap");
    }
    EndpointReport e = h.awaitEndpoint("POST /api/upload", x -> x.skipped().containsKey("client-aborted"));
    assertThat(e.skipped()).containsEntry("client-aborted", 1L);
    assertThat(e.compared()).isZero();
  }

  private final java.util.concurrent.atomic.AtomicBoolean oldSawUpload = new java.util.concurrent.atomic.AtomicBoolean();

  /** OLD answers in full before the request body has ended (an early 401): NEW is still asked, the exchange judged. */
  @Test
  void oldAnsweringBeforeTheBodyEnds_stillEndsInAnOutcome() throws Exception {
    h.old(req -> {
      oldSawUpload.set(true);
      req.response().setStatusCode(401).putHeader("Content-Type", "application/json").end("{\"error\":\"login\"}");
    }).neu(req -> req.body().onSuccess(b -> req.response().setStatusCode(401).putHeader("Content-Type", "application/json")
        .end("{\"error\":\"login\"}"))).tap("endpoints: {\"POST /api/upload\": {mirror-methods: [POST]}}\n");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.tap.proxyPort())) {
      s.setSoTimeout(10_000);
      java.io.OutputStream out = s.getOutputStream();
      out.write(("POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nhello")
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      out.flush();
      // read OLD's whole answer (it says its length) before sending the rest of the body
      java.io.InputStream in = s.getInputStream();
      StringBuilder got = new StringBuilder();
      while (!got.toString().contains("{\"error\":\"login\"}")) {
        int c = in.read();
        assertThat(c).as("OLD's answer arrives: " + got).isNotNegative();
        got.append((char) c);
      }
      assertThat(got.toString()).startsWith("HTTP/1.1 401");
      out.write("world".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      out.flush();
      EndpointReport e = h.awaitEndpoint("POST /api/upload", x -> x.compared() == 1);
      assertThat(e.matched()).isEqualTo(1);
    }
    TapHarness.eventually(() -> h.tap.registry().get("parity.buffered").gauge().value() == 0, "every reserved byte released");
  }

  /** OLD answers early and the client then closes without finishing its body: one outcome, within NEW's timeout. */
  @Test
  void oldAnsweringEarly_thenTheClientLeaving_endsAsClientAborted_andLetsGoOfItsBytes() throws Exception {
    h.old(req -> req.response().setStatusCode(401).putHeader("Content-Type", "application/json").end("{\"error\":\"login\"}"))
        .neu(req -> req.response().end("{}"))
        .tap("timeouts: {new: 500ms}\nendpoints: {\"POST /api/upload\": {mirror-methods: [POST]}}\n");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.tap.proxyPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nhello")
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      java.io.InputStream in = s.getInputStream();
      StringBuilder got = new StringBuilder();
      while (!got.toString().contains("{\"error\":\"login\"}")) {
        int c = in.read();
        assertThat(c).isNotNegative();
        got.append((char) c);
      }
    } // closed with half the body sent, as curl does after an early answer
    EndpointReport e = h.awaitEndpoint("POST /api/upload", x -> !x.skipped().isEmpty());
    assertThat(e.skipped()).containsEntry("client-aborted", 1L);
    assertThat(e.errors()).isZero();
    TapHarness.eventually(() -> h.tap.registry().get("parity.buffered").gauge().value() == 0, "every reserved byte released");
  }

  /** A client that leaves mid-response: client-aborted, and OLD's request that the tap stops is not OLD's failure. */
  @Test
  void aClientLeavingMidResponse_isClientAborted_notAnOldFailure() throws Exception {
    byte[] chunk = new byte[64 * 1024];
    h.old(req -> TapPrimaryPathTest.streamBody(req.response(), chunk, 2_000)) // 128 MB, far more than the client reads
        .neu(req -> req.response().end("{}")).tap("");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.tap.proxyPort())) {
      s.getOutputStream().write("GET /api/stream HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      assertThat(s.getInputStream().readNBytes(100_000)).hasSize(100_000);
    }
    EndpointReport e = h.awaitEndpoint("GET /api/stream", x -> !x.skipped().isEmpty() || x.errors() > 0);
    assertThat(e.skipped()).containsEntry("client-aborted", 1L);
    assertThat(e.errors()).isZero();
    assertThat(h.tap.registry().get("parity.backend.errors").tags("endpoint", "GET /api/stream", "backend", "old", "kind", "reset")
        .functionCounter().count()).isZero();
  }
}
