package dev.shadowparity.tap;

import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.report.EndpointReport;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real servers on loopback for tap tests: OLD and NEW as small Vert.x servers, the tap between. */
final class TapHarness implements AutoCloseable {

  /**
   * Servers and tap on the transport the tap runs on by default ({@code limits.transport: auto}), or on the one
   * named by the system property {@code parity.test.transport} (e.g. {@code -DargLine=-Dparity.test.transport=io_uring}).
   */
  final Vertx vertx;

  TapHarness() {
    this(System.getProperty("parity.test.transport", "auto"));
  }

  /** On the transport a {@code limits.transport} value names. */
  TapHarness(String transport) {
    vertx = Vertx.builder().withTransport(Tap.transport(transport)).build();
  }

  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  HttpServer oldServer;
  HttpServer newServer;
  NetServer rawNew;
  Tap tap;

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("future failed: " + e.getMessage(), e);
    }
  }

  TapHarness old(Handler<HttpServerRequest> handler) {
    // like most real servers, answers Expect: 100-continue by itself
    oldServer = await(vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHandle100ContinueAutomatically(true))
        .requestHandler(handler).listen(0, "127.0.0.1"));
    return this;
  }

  TapHarness neu(Handler<HttpServerRequest> handler) {
    newServer = await(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
    return this;
  }

  /** NEW as a raw TCP server that writes the given bytes to each connection and closes it. */
  TapHarness rawNew(String bytes) {
    rawNew = await(vertx.createNetServer().connectHandler(so -> so.handler(b -> so.write(bytes).onComplete(v -> so.close())))
        .listen(0, "127.0.0.1"));
    return this;
  }

  String oldUrl() {
    return "http://127.0.0.1:" + oldServer.actualPort();
  }

  String newUrl() {
    if (rawNew != null) {
      return "http://127.0.0.1:" + rawNew.actualPort();
    }
    return newServer == null ? "http://127.0.0.1:1" : "http://127.0.0.1:" + newServer.actualPort();
  }

  TapHarness tap(String yaml) {
    String full = "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: " + oldUrl() + "\nnew: " + newUrl() + "\n" + yaml;
    ParityConfig config = ConfigLoader.parse(full, "test.yaml");
    TapConfig tapConfig = ConfigLoader.parseTap(full, "test.yaml");
    tap = await(Tap.start(vertx, config, tapConfig));
    return this;
  }

  URI proxy(String path) {
    return URI.create("http://127.0.0.1:" + tap.proxyPort() + path);
  }

  URI admin(String path) {
    return URI.create("http://127.0.0.1:" + tap.adminPort() + path);
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(proxy(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> adminGet(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(admin(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The endpoint's entry of the ledger, once {@code done} holds for it (polled up to 10 s). */
  EndpointReport awaitEndpoint(String endpoint, java.util.function.Predicate<EndpointReport> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    EndpointReport r = null;
    while (System.nanoTime() < deadline) {
      r = tap.engine().ledger().report().endpoint(endpoint);
      if (r != null && done.test(r)) {
        return r;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("endpoint " + endpoint + " never reached the expected state; last: " + r);
  }

  static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    dev.shadowparity.Await.until(condition, java.time.Duration.ofSeconds(10), what);
  }

  /** Sends raw bytes on a new connection and reads until the server closes it or {@code timeoutMs} passes. */
  String raw(String request, int timeoutMs) throws IOException {
    try (Socket s = new Socket("127.0.0.1", tap.proxyPort())) {
      s.setSoTimeout(timeoutMs);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return readAll(s.getInputStream());
    }
  }

  /** What a raw request got: the bytes read, and whether the tap closed the connection (rather than the read timing out). */
  record RawAnswer(String text, boolean closed) {}

  /** Sends raw bytes on a new connection and reads until the tap closes it or {@code timeoutMs} passes. */
  RawAnswer rawAnswer(String request, int timeoutMs) throws IOException {
    try (Socket s = new Socket("127.0.0.1", tap.proxyPort())) {
      s.setSoTimeout(timeoutMs);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = s.getInputStream().read(buf)) > 0) {
          out.write(buf, 0, n);
        }
        return new RawAnswer(out.toString(StandardCharsets.ISO_8859_1), true);
      } catch (java.net.SocketTimeoutException e) {
        return new RawAnswer(out.toString(StandardCharsets.ISO_8859_1), false);
      } catch (java.net.SocketException e) {
        return new RawAnswer(out.toString(StandardCharsets.ISO_8859_1), true); // reset by the tap: closed too
      }
    }
  }

  /** Reads {@code body} to its end and asserts it is {@code count} copies of {@code chunk}: the length and the SHA-256. */
  static void assertChunksRepeated(InputStream body, byte[] chunk, int count) throws Exception {
    java.security.MessageDigest got = java.security.MessageDigest.getInstance("SHA-256");
    long total = 0;
    try (InputStream in = body) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        got.update(buf, 0, n);
        total += n;
      }
    }
    java.security.MessageDigest expected = java.security.MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < count; i++) {
      expected.update(chunk);
    }
    org.assertj.core.api.Assertions.assertThat(total).isEqualTo((long) count * chunk.length);
    org.assertj.core.api.Assertions.assertThat(got.digest()).isEqualTo(expected.digest());
  }

  static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (java.net.SocketTimeoutException e) {
      // keep-alive connection still open: what arrived so far is the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private boolean closed;

  /** Stops the tap (flushing its store and capture) and the servers; a second call does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (tap != null) {
      await(tap.shutdown(2000));
    }
    await(vertx.close());
  }
}
