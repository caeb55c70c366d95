package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --concurrency N} against real HTTP servers on loopback that hold every request for a while and record
 * how many they are answering at once: the bound is never passed, and it is used (reached).
 */
class ReplayConcurrencyTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  CountingServer old;
  CountingServer neu;

  @BeforeEach
  void start() throws IOException {
    old = new CountingServer(25);
    neu = new CountingServer(25);
  }

  @AfterEach
  void stop() {
    old.close();
    neu.close();
  }

  /**
   * An HTTP server with a thread per request (up to 64), so it never limits concurrency itself. Each request
   * counts as in flight from the moment its handler starts until its answer is about to be written; the
   * handler sleeps in between.
   */
  static final class CountingServer implements AutoCloseable {
    final HttpServer server;
    final ExecutorService threads = Executors.newFixedThreadPool(64);
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger served = new AtomicInteger();
    final Set<String> uris = ConcurrentHashMap.newKeySet();

    CountingServer(long holdMillis) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
      server.setExecutor(threads);
      server.createContext("/", exchange -> {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (InputStream in = exchange.getRequestBody()) {
          in.readAllBytes();
          uris.add(exchange.getRequestURI().toString());
          Thread.sleep(holdMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while holding a request", e);
        } finally {
          inFlight.decrementAndGet();
        }
        byte[] body = ("{\"uri\":\"" + exchange.getRequestURI() + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
        served.incrementAndGet();
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
      try {
        threads.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the test server", e);
      }
    }
  }

  /** A tap capture of {@code n} GETs to distinct items. */
  private Path capture(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      b.append("{\"request\":{\"method\":\"GET\",\"uri\":\"/items/").append(i).append("\"}}\n");
    }
    Path f = dir.resolve("items-" + n + ".ndjson");
    try {
      Files.writeString(f, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }

  private JsonNode replay(int requests, int concurrency) throws IOException {
    Path json = dir.resolve("r.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // built-in rules (no --config): Date and Server, which the two servers stamp, are not compared
    int exit = ParityMain.run(new PrintWriter(out, true), new PrintWriter(err, true), "replay", capture(requests).toString(),
        "--old", old.url(), "--new", neu.url(), "--concurrency", String.valueOf(concurrency), "--json", json.toString(),
        "--progress", "none", "--fail-on", "mismatch");
    assertThat(exit).as(err + "\n" + out).isEqualTo(ExitCodes.OK);
    JsonNode report = JSON.readTree(json.toFile());
    assertThat(report.path("totals").path("compared").asLong()).isEqualTo(requests);
    assertThat(report.path("input").path("sent").asLong()).isEqualTo(requests);
    for (CountingServer s : new CountingServer[] {old, neu}) {
      assertThat(s.served.get()).isEqualTo(requests);
      assertThat(s.uris).hasSize(requests).contains("/items/1", "/items/" + requests);
    }
    return report;
  }

  @Test
  void concurrency4_neverMoreThanFourInFlightAtEitherBackend_andFourAreUsed() throws IOException {
    long start = System.nanoTime();
    replay(200, 4);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(old.maxInFlight.get()).as("OLD").isEqualTo(4);
    assertThat(neu.maxInFlight.get()).as("NEW").isEqualTo(4);
    // 200 requests held 25 ms each, 4 at a time, take at least 50 rounds of 25 ms
    assertThat(millis).isGreaterThanOrEqualTo(1250);
  }

  @Test
  void concurrency1_oneRequestAtATime() throws IOException {
    long start = System.nanoTime();
    replay(30, 1);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(old.maxInFlight.get()).as("OLD").isEqualTo(1);
    assertThat(neu.maxInFlight.get()).as("NEW").isEqualTo(1);
    assertThat(millis).as("30 requests of 25 ms one after the other").isGreaterThanOrEqualTo(750);
  }

  @Test
  void concurrencyAboveTheLoopCount_isReachedToo() throws IOException {
    // 7 is neither a multiple of the event loops nor below their number: the per-loop pools must not cap it lower
    replay(140, 7);
    assertThat(old.maxInFlight.get()).as("OLD").isEqualTo(7);
    assertThat(neu.maxInFlight.get()).as("NEW").isEqualTo(7);
  }
}
