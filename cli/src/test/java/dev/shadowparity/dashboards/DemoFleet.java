package dev.shadowparity.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.demo.DemoBackends;
import dev.shadowparity.tap.Tap;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The demo's OLD (Python 2) and NEW (Python 3) backends with taps in front, all in this JVM on loopback. A
 * tap made with {@code flakyNew} reaches NEW through a forwarder that closes the connection for
 * {@link #FLAKY_PATH} (a path the demo does not know, so both backends answer it alike): NEW failures on one
 * endpoint, while every other endpoint behaves as in {@code parity demo}.
 */
final class DemoFleet implements AutoCloseable {

  static final String FLAKY_PATH = "/api/flaky";
  static final String FLAKY_ENDPOINT = "GET " + FLAKY_PATH;
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "content-length",
      "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate");

  /** The backends' and the forwarder's. */
  private final Vertx vertx = Vertx.vertx();
  final DemoBackends demo = DemoBackends.load();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Failures of the forwarder in front of NEW other than the injected ones; a test asserts there are none. */
  final List<Throwable> forwarderFailures = new CopyOnWriteArrayList<>();
  private final List<Tap> taps = new ArrayList<>();
  private final List<Vertx> tapVertx = new ArrayList<>();
  private HttpServer oldServer;
  private HttpServer newServer;
  private HttpServer flakyNew;

  DemoFleet() {
    oldServer = await(demo.start(vertx, false));
    newServer = await(demo.start(vertx, true));
    flakyNew = await(startFlakyNew(newServer.actualPort()));
  }

  private Future<HttpServer> startFlakyNew(int newPort) {
    io.vertx.core.http.HttpClient forward = vertx.createHttpClient(new HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(newPort));
    return vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals(FLAKY_PATH)) {
        req.connection().close();
        return;
      }
      req.body()
          .compose(body -> forward.request(new RequestOptions().setMethod(req.method()).setURI(req.uri())
              .setHeaders(endToEnd(req.headers()))).compose(out -> out.send(body)))
          .compose(res -> res.body().map(body -> {
            HttpServerResponse out = req.response().setStatusCode(res.statusCode()).setStatusMessage(res.statusMessage());
            out.headers().addAll(endToEnd(res.headers()));
            out.end(body);
            return body;
          }))
          .onFailure(err -> {
            forwarderFailures.add(err);
            req.connection().close();
          });
    }).listen(0, "127.0.0.1");
  }

  private static MultiMap endToEnd(MultiMap headers) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    headers.forEach(h -> {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        out.add(h.getKey(), h.getValue());
      }
    });
    return out;
  }

  /**
   * Starts a tap in front of the demo's OLD, mirroring to NEW directly or through the flaky forwarder. Each tap
   * has its own Vert.x instance, as each tap of a fleet has its own process: within one instance, taps started
   * with port 0 would share one random proxy port (Vert.x's shared port -1, see {@code Tap.listen}).
   */
  Tap startTap(boolean flakyNewEndpoint) {
    return startTap(flakyNewEndpoint, 0, null);
  }

  /**
   * As {@link #startTap(boolean)}, on a given admin port (0: any free one), with its evidence in a store file (null:
   * in memory): a tap started again on the same port and file is the same scrape target to Prometheus, restarted,
   * and counts on from its store.
   */
  Tap startTap(boolean flakyNewEndpoint, int adminPort, java.nio.file.Path store) {
    return startTap(flakyNewEndpoint, adminPort, store == null ? null : store.toString(), null);
  }

  /**
   * As {@link #startTap(boolean, int, java.nio.file.Path)}, the store a file or a {@code postgresql://} URI shared by
   * a fleet, written as {@code tapId} (null: the host name).
   */
  Tap startTap(boolean flakyNewEndpoint, int adminPort, String store, String tapId) {
    int newPort = flakyNewEndpoint ? flakyNew.actualPort() : newServer.actualPort();
    String yaml = "listen: 127.0.0.1:0\nadmin: 127.0.0.1:" + adminPort + "\nold: http://127.0.0.1:" + oldServer.actualPort()
        + "\nnew: http://127.0.0.1:" + newPort + "\n"
        + (store == null ? "" : "store: {file: '" + store.replace("'", "''") + "', flush: 1s"
            + (tapId == null ? "" : ", tap-id: '" + tapId + "'") + "}\n");
    Vertx own = Vertx.vertx();
    tapVertx.add(own);
    Tap tap = await(Tap.start(own, ConfigLoader.parse(yaml, "dashboard-test"), ConfigLoader.parseTap(yaml, "dashboard-test")));
    taps.add(tap);
    return tap;
  }

  /** Stops a tap gracefully (its store flushed, its admin port closed), as SIGTERM stops a tap's process. */
  void stop(Tap tap) {
    await(tap.shutdown(2000));
    taps.remove(tap);
  }

  static String adminAddress(Tap tap) {
    return "127.0.0.1:" + tap.adminPort();
  }

  /**
   * Sends every captured demo request (GET, POST, DELETE) plus {@code GET /api/flaky} through the tap,
   * {@code rounds} times, 16 at a time; returns how many were sent once all are answered.
   */
  int drive(Tap tap, int rounds) throws InterruptedException {
    Semaphore window = new Semaphore(16);
    List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
    List<String[]> requests = new ArrayList<>();
    demo.pairs().forEach(p -> requests.add(new String[] {p.method(), p.target()}));
    requests.add(new String[] {"GET", FLAKY_PATH});
    for (int r = 0; r < rounds; r++) {
      for (String[] m : requests) {
        HttpRequest.BodyPublisher body = m[0].equals("GET") || m[0].equals("HEAD") || m[0].equals("DELETE")
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}");
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tap.proxyPort() + m[1])).method(m[0], body)
            .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build();
        window.acquire();
        all.add(client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, e) -> window.release()));
      }
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).orTimeout(30, TimeUnit.SECONDS).join();
    return all.size();
  }

  /** Every request the tap counted in {@code parity_exchanges_total} (each request is counted once, by outcome). */
  static long exchangesCounted(Tap tap) {
    return Math.round(tap.registry().find("parity.exchanges").functionCounters().stream()
        .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count).sum());
  }

  /** Waits until the tap has counted {@code sent} requests (comparisons run off the request path). */
  static void awaitCounted(Tap tap, long sent) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (exchangesCounted(tap) < sent) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("tap " + adminAddress(tap) + " counted " + exchangesCounted(tap) + " of " + sent
            + " requests (NEW in flight: " + tap.shadowInFlight() + "); counted so far: " + nonZero(tap));
      }
      Thread.sleep(20);
    }
  }

  /** "endpoint outcome=count" of every non-zero exchange counter, for failure messages. */
  private static List<String> nonZero(Tap tap) {
    return tap.registry().find("parity.exchanges").functionCounters().stream().filter(c -> c.count() > 0)
        .map(c -> c.getId().getTag("endpoint") + " " + c.getId().getTag("outcome") + "=" + (long) c.count()).sorted().toList();
  }

  /** Per endpoint, the tap's own count of exchanges with one of {@code outcomes}. */
  static Map<String, Double> countsByEndpoint(Tap tap, Set<String> outcomes) {
    Map<String, Double> out = new HashMap<>();
    for (io.micrometer.core.instrument.FunctionCounter c : tap.registry().find("parity.exchanges").functionCounters()) {
      if (outcomes.contains(c.getId().getTag("outcome"))) {
        out.merge(c.getId().getTag("endpoint"), c.count(), Double::sum);
      }
    }
    return out;
  }

  /** The tap's {@code GET /api/report}. */
  JsonNode report(Tap tap) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://" + adminAddress(tap) + "/api/report")).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /api/report of " + adminAddress(tap) + " answered " + r.statusCode() + ": " + r.body());
    }
    return DashboardFiles.JSON.readTree(r.body());
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("future failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      for (Tap t : taps) {
        await(t.shutdown(2000));
      }
    } finally {
      tapVertx.forEach(v -> await(v.close()));
      await(vertx.close());
    }
  }
}
