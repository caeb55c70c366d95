package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.shadowparity.report.EndpointReport;
import io.vertx.core.transport.Transport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The primary path's hardest cases on every transport {@code limits.transport} can name: many large answers at
 * once (writes that fill the socket and wait for it to drain) while comparisons run and overflow, and one long
 * body to a client that reads it through backpressure. Netty 4.2.7's io_uring failed the first (a dead event
 * loop, clients that never got an answer); a transport that cannot run on this machine is skipped.
 */
class TapTransportTest {

  private TapHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private void on(String transport) {
    Transport t = switch (transport) {
      case "io_uring" -> Transport.IO_URING;
      case "epoll" -> Transport.EPOLL;
      default -> Transport.NIO;
    };
    assumeThat(t != null && t.available()).as(transport + " can run here").isTrue();
    h = new TapHarness(transport);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void manyLargeAnswersAtOnce_eachClientGetsOldsBytes_noErrors(String transport) throws Exception {
    on(transport);
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 60_000; i++) {
      big.append(i == 0 ? "" : ",").append("{\"i\":").append(i).append(",\"v\":\"").append(i % 7).append("\"}");
    }
    String body = big.append(']').toString();
    String newBody = body.replace("{\"i\":5,\"v\":\"5\"}", "{\"v\":\"5\",\"i\":5}"); // same JSON, other key order
    h.old(req -> req.response().putHeader("Content-Type", "application/json").end(body))
        .neu(req -> req.response().putHeader("Content-Type", "application/json").end(newBody))
        .tap("limits: {compare-threads: 1, compare-queue: 2}\n");
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(h.client.sendAsync(HttpRequest.newBuilder(h.proxy("/api/dump")).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(body);
    }
    EndpointReport e = h.awaitEndpoint("GET /api/dump", x -> x.compared() + x.skipped().getOrDefault("overload", 0L) == 40);
    assertThat(e.errors()).isZero();
    assertThat(e.mismatched()).isZero();
    assertThat(e.compared()).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void aLongBodyThroughBackpressure_arrivesWhole(String transport) throws Exception {
    on(transport);
    byte[] chunk = new byte[64 * 1024];
    new Random(3).nextBytes(chunk);
    int count = 320; // 20 MB
    AtomicBoolean oldWaited = new AtomicBoolean();
    h.old(req -> TapPrimaryPathTest.streamBody(req.response(), chunk, count, oldWaited)).neu(req -> req.response().end("x"))
        .tap("");
    HttpResponse<java.io.InputStream> r = h.client.send(HttpRequest.newBuilder(h.proxy("/stream")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    Thread.sleep(1000); // a client that does not read for a second: the tap must hold OLD back
    TapHarness.assertChunksRepeated(r.body(), chunk, count);
    assertThat(oldWaited).as("OLD was held back by the slow client").isTrue();
  }
}
