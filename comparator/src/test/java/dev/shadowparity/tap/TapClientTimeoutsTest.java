package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.report.EndpointReport;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow, idle and too many clients, with real sockets and short configured timeouts: each test waits for a state (a
 * close, a count), never for a time, and asserts no duration.
 */
class TapClientTimeoutsTest {

  private final TapHarness h = new TapHarness();
  private final List<Socket> sockets = new ArrayList<>();
  private final AtomicInteger oldRequests = new AtomicInteger();

  @AfterEach
  void close() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    h.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", h.tap.proxyPort());
    s.setSoTimeout(15_000); // a bound on each read, far above every timeout configured here
    sockets.add(s);
    return s;
  }

  private double counter(String name, String... tags) {
    return h.tap.registry().get(name).tags(tags).functionCounter().count();
  }

  private double gauge(String name) {
    return h.tap.registry().get(name).gauge().value();
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** Everything the tap writes until it closes its side (a read timeout fails the test: the tap never closed). */
  private static String readToEnd(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder got = new StringBuilder();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) > 0) {
      got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return got.toString();
  }

  /** One whole answer with a Content-Length, read off a kept-alive connection. */
  private static String readOneAnswer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      assertThat(c).as("the answer's head arrives: " + head).isNotNegative();
      head.append((char) c);
    }
    String lower = head.toString().toLowerCase(java.util.Locale.ROOT);
    int at = lower.indexOf("content-length:");
    int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
    return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  private TapHarness oldCounting() {
    return h.old(req -> {
      oldRequests.incrementAndGet();
      req.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
    }).neu(req -> req.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}"));
  }

  /** Two event loops, so that each loop's sweep is at work (connections are spread over them). */
  @Test
  void aConnectionThatSendsNothing_isClosedWithoutAnAnswer() throws Exception {
    oldCounting().tap("timeouts: {client-header: 1s}\nlimits: {event-loops: 2}\n");
    Socket first = connect();
    Socket second = connect();
    TapHarness.eventually(() -> gauge("parity.client.connections") == 2, "the connections are counted open");

    assertThat(readToEnd(first)).as("nothing was asked, nothing is answered").isEmpty();
    assertThat(readToEnd(second)).isEmpty();
    TapHarness.eventually(() -> gauge("parity.client.connections") == 0, "the connections are counted closed");
    assertThat(counter("parity.client.timeouts", "kind", "header")).isEqualTo(2);
    assertThat(oldRequests).hasValue(0);
  }

  @Test
  void aHeadSentAByteAtATime_gets408_andTheConnectionCloses() throws Exception {
    oldCounting().tap("timeouts: {client-header: 1s}\n");
    Socket s = connect();
    AtomicBoolean stop = new AtomicBoolean();
    Thread trickle = new Thread(() -> {
      // a head that never ends: a header line after another, a byte at a time
      byte[] start = "GET /api/slow HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.ISO_8859_1);
      byte[] more = "X-Pad: aaaaaaaa\r\n".getBytes(StandardCharsets.ISO_8859_1);
      try {
        OutputStream out = s.getOutputStream();
        for (int i = 0; !stop.get(); i++) {
          out.write(i < start.length ? start[i] : more[(i - start.length) % more.length]);
          out.flush();
          Thread.sleep(50);
        }
      } catch (IOException | InterruptedException e) {
        // the tap closed the connection: the end of this sender
      }
    });
    trickle.start();
    try {
      String answer = readToEnd(s);
      assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Connection: close");
    } finally {
      stop.set(true);
      trickle.join(10_000);
    }
    TapHarness.eventually(() -> gauge("parity.client.connections") == 0, "the connection is closed");
    assertThat(counter("parity.client.timeouts", "kind", "header")).isEqualTo(1);
    assertThat(oldRequests).as("an unfinished head never reaches OLD").hasValue(0);
  }

  @Test
  void aBodyThatStalls_endsWithACloseAndOneRecordedOutcome_andOldsRequestReset() throws Exception {
    AtomicBoolean oldSawIt = new AtomicBoolean();
    AtomicBoolean oldRequestGone = new AtomicBoolean();
    h.old(req -> {
      oldSawIt.set(true);
      req.connection().closeHandler(v -> oldRequestGone.set(true)); // never answers: waits for the whole body
    }).neu(req -> req.response().end("{}"))
        .tap("timeouts: {client-body: 1s}\nendpoints: {\"POST /api/upload\": {mirror-methods: [POST]}}\n");
    Socket s = connect();
    send(s, "POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nonly part of it");

    String answer = readToEnd(s); // then silence: the tap closes
    assertThat(answer).as("nothing of OLD's answer was written, so the tap says why").startsWith("HTTP/1.1 408 ");
    assertThat(oldSawIt).isTrue();
    TapHarness.eventually(oldRequestGone::get, "OLD's request is reset");
    EndpointReport e = h.awaitEndpoint("POST /api/upload", x -> !x.skipped().isEmpty());
    assertThat(e.skipped()).containsExactly(java.util.Map.entry("client-aborted", 1L));
    assertThat(e.compared()).isZero();
    assertThat(e.errors()).as("not an OLD failure: the tap stopped it").isZero();
    assertThat(counter("parity.client.timeouts", "kind", "body")).isEqualTo(1);
    TapHarness.eventually(() -> gauge("parity.buffered") == 0, "every reserved byte released");
    TapHarness.eventually(() -> gauge("parity.client.connections") == 0, "the connection is closed");
  }

  /** Not mirrored (a POST): recorded once, as its skip, and OLD's request the tap stopped is not OLD's failure. */
  @Test
  void aBodyThatStalls_onAnUnmirroredRequest_isRecordedOnceAsItsSkip() throws Exception {
    AtomicBoolean oldRequestGone = new AtomicBoolean();
    h.old(req -> req.connection().closeHandler(v -> oldRequestGone.set(true)))
        .neu(req -> req.response().end("{}")).tap("timeouts: {client-body: 1s}\n");
    Socket s = connect();
    send(s, "POST /api/orders HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{\"partial\":");

    assertThat(readToEnd(s)).startsWith("HTTP/1.1 408 ");
    TapHarness.eventually(oldRequestGone::get, "OLD's request is reset");
    EndpointReport e = h.awaitEndpoint("POST /api/orders", x -> !x.skipped().isEmpty());
    assertThat(e.skipped()).containsExactly(java.util.Map.entry("unsafe-method", 1L));
    assertThat(e.errors()).isZero();
    assertThat(h.tap.registry().get("parity.backend.errors").tags("endpoint", "POST /api/orders", "backend", "old", "kind", "reset")
        .functionCounter().count()).isZero();
  }

  @Test
  void aKeptAliveConnection_isClosedAfterItsIdleTimeout() throws Exception {
    oldCounting().tap("timeouts: {client-keep-alive: 1s, client-header: 60s}\n");
    Socket s = connect();
    send(s, "GET /api/a HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(readOneAnswer(s)).startsWith("HTTP/1.1 200").endsWith("{\"ok\":true}");
    send(s, "GET /api/b HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(readOneAnswer(s)).as("kept alive between requests").startsWith("HTTP/1.1 200");

    assertThat(readToEnd(s)).as("then closed, without an answer").isEmpty();
    assertThat(counter("parity.client.timeouts", "kind", "keep-alive")).isEqualTo(1);
    assertThat(counter("parity.client.timeouts", "kind", "header")).isZero();
    assertThat(oldRequests).hasValue(2);
  }

  @Test
  void overTheCap_newConnectionsAreRefusedAndCounted_whileOpenOnesAreStillServed() throws Exception {
    oldCounting().tap("limits: {max-client-connections: 5, event-loops: 2}\n"); // one count over both loops
    assertThat(gauge("parity.client.connections.max")).isEqualTo(5);
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(connect());
    }
    TapHarness.eventually(() -> gauge("parity.client.connections") == 5, "five connections open");

    for (int i = 0; i < 3; i++) {
      Socket over = connect();
      assertThat(readToEnd(over)).as("closed at once, unanswered").isEmpty();
    }
    TapHarness.eventually(() -> counter("parity.client.connections.refused") == 3, "three refusals counted");
    assertThat(gauge("parity.client.connections")).isEqualTo(5);

    for (Socket s : held) {
      send(s, "GET /api/still HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(readOneAnswer(s)).startsWith("HTTP/1.1 200");
    }
    held.get(0).close();
    TapHarness.eventually(() -> gauge("parity.client.connections") == 4, "a closed connection frees its place");
    Socket next = connect();
    send(next, "GET /api/next HTTP/1.1\r\nHost: a\r\n\r\n");
    assertThat(readOneAnswer(next)).startsWith("HTTP/1.1 200");
    assertThat(counter("parity.client.connections.refused")).isEqualTo(3);
    // the admin port is not the proxy's: not capped by it
    String metrics = h.adminGet("/metrics").body();
    assertThat(metrics).contains("parity_client_connections_refused_total 3.0", "parity_client_connections_max 5.0",
        "parity_client_connections 5.0", "parity_client_timeouts_total{kind=\"header\"} 0.0");
  }

  /**
   * A client that takes none of its answer is cut off after the send timeout, long before OLD's: the exchange ends once,
   * as client-aborted, and OLD's request the tap stopped is not OLD's failure.
   */
  @Test
  void aClientThatReadsNothingOfItsAnswer_isCutOffAfterTheSendTimeout() throws Exception {
    byte[] chunk = new byte[64 * 1024];
    h.old(req -> TapPrimaryPathTest.streamBody(req.response(), chunk, 256)) // 16 MiB: more than every buffer on the way
        .neu(req -> req.response().end("{}")).tap("timeouts: {client-send: 1s, old: 60s}\n");
    Socket s = new Socket();
    s.setReceiveBufferSize(16 * 1024);
    s.connect(new java.net.InetSocketAddress("127.0.0.1", h.tap.proxyPort()));
    sockets.add(s);
    send(s, "GET /api/download HTTP/1.1\r\nHost: a\r\n\r\n"); // and never reads

    TapHarness.eventually(() -> counter("parity.client.timeouts", "kind", "send") == 1, "the client is cut off");
    TapHarness.eventually(() -> gauge("parity.client.connections") == 0, "its connection is closed");
    EndpointReport e = h.awaitEndpoint("GET /api/download", x -> !x.skipped().isEmpty());
    assertThat(e.skipped()).containsExactly(java.util.Map.entry("client-aborted", 1L));
    assertThat(e.errors()).isZero();
  }

  /**
   * A client that reads slowly, with every buffer on the way full, but reads, is not cut off: 3 times the send timeout
   * of reading a little at a time.
   */
  @Test
  void aClientThatReadsSlowly_isNotCutOff() throws Exception {
    // on loopback the kernel's send buffer grows to megabytes: only epoll's TCP_INFO shows a slow reader's progress
    // within a 3 s send timeout (elsewhere progress is seen once that buffer has room, as with nginx's send_timeout)
    String transport = System.getProperty("parity.test.transport", "auto");
    org.junit.jupiter.api.Assumptions.assumeTrue(("auto".equals(transport) || "epoll".equals(transport))
        && io.netty.channel.epoll.Epoll.isAvailable(), "the tap runs on epoll");
    byte[] chunk = new byte[64 * 1024];
    h.old(req -> TapPrimaryPathTest.streamBody(req.response(), chunk, 256)) // 16 MiB: fills every buffer on the way
        .neu(req -> req.response().end("{}")).tap("timeouts: {client-send: 3s}\n");
    Socket s = new Socket();
    s.setReceiveBufferSize(16 * 1024);
    s.connect(new java.net.InetSocketAddress("127.0.0.1", h.tap.proxyPort()));
    s.setSoTimeout(15_000);
    sockets.add(s);
    send(s, "GET /api/download HTTP/1.1\r\nHost: a\r\n\r\n");
    InputStream in = s.getInputStream();
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    for (int i = 0; i < 60; i++) {
      int n = in.read(buf);
      assertThat(n).as("the answer keeps coming").isPositive();
      total += n;
      // the client's pace, not a wait for the tap: 100 ms between reads, 6 s in all, twice the send timeout; a stall
      // of the test thread up to the 3 s timeout itself still passes on a loaded machine
      Thread.sleep(100);
    }
    assertThat(total).isLessThan(16L << 20); // still reading when the test stops
    assertThat(counter("parity.client.timeouts", "kind", "send")).isZero();
    assertThat(gauge("parity.client.connections")).as("still open").isEqualTo(1);
  }

  /** Client timeouts never run while OLD thinks: a client waiting longer than all of them for OLD gets OLD's answer. */
  @Test
  void aSlowOldAnswer_isNotCutByClientTimeouts() throws Exception {
    h.old(req -> h.vertx.setTimer(1500, id -> req.response().putHeader("Content-Type", "application/json").end("{\"late\":1}")))
        .neu(req -> req.response().putHeader("Content-Type", "application/json").end("{\"late\":1}"))
        .tap("timeouts: {client-header: 200ms, client-keep-alive: 200ms, client-body: 200ms}\n");
    Socket s = connect();
    send(s, "POST /api/slow HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
    assertThat(readOneAnswer(s)).startsWith("HTTP/1.1 200").endsWith("{\"late\":1}");
    assertThat(h.get("/api/slow-get").statusCode()).isEqualTo(200);
    EndpointReport e = h.awaitEndpoint("GET /api/slow-get", x -> x.compared() == 1);
    assertThat(e.matched()).isEqualTo(1);
    assertThat(counter("parity.client.timeouts", "kind", "body")).isZero();
  }

  /**
   * A client that is ahead of OLD is held back by the tap (backpressure), not silent: an upload that OLD reads slower
   * than the body timeout arrives whole.
   */
  @Test
  void anUploadHeldBackByASlowOld_isNotCutByTheBodyTimeout() throws Exception {
    AtomicLong oldGot = new AtomicLong();
    h.old(req -> {
      req.pause(); // OLD reads nothing for a while: the tap's buffers fill and it stops reading the client
      req.handler(b -> oldGot.addAndGet(b.length()));
      req.endHandler(v -> req.response().end("got " + oldGot.get()));
      h.vertx.setTimer(1500, id -> req.resume());
    }).neu(req -> req.response().end("x")).tap("timeouts: {client-body: 200ms}\n");
    byte[] chunk = new byte[64 * 1024];
    int chunks = 256; // 16 MiB: more than the sockets and the tap hold on the way
    Socket s = connect();
    send(s, "PUT /api/upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + (long) chunk.length * chunks + "\r\n\r\n");
    OutputStream out = s.getOutputStream();
    for (int i = 0; i < chunks; i++) {
      out.write(chunk);
    }
    out.flush();
    assertThat(readOneAnswer(s)).startsWith("HTTP/1.1 200").endsWith("got " + (long) chunk.length * chunks);
    assertThat(counter("parity.client.timeouts", "kind", "body")).isZero();
  }

  /** A client that asked for 100 Continue waits for it; that wait is not silence. */
  @Test
  void waitingFor100Continue_isNotSilence() throws Exception {
    h.oldServer = TapHarness.await(h.vertx.createHttpServer(new HttpServerOptions().setHandle100ContinueAutomatically(false))
        .requestHandler(req -> h.vertx.setTimer(1500, id -> {
          req.response().writeContinue();
          req.body().onSuccess(b -> req.response().end("got " + b.length()));
        })).listen(0, "127.0.0.1"));
    h.neu(req -> req.response().end("x")).tap("timeouts: {client-body: 200ms}\n");
    Socket s = connect();
    send(s, "POST /api/continue HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    InputStream in = s.getInputStream();
    StringBuilder interim = new StringBuilder();
    while (!interim.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      assertThat(c).as("100 Continue arrives: " + interim).isNotNegative();
      interim.append((char) c);
    }
    assertThat(interim.toString()).startsWith("HTTP/1.1 100");
    send(s, "hello");
    assertThat(readOneAnswer(s)).startsWith("HTTP/1.1 200").endsWith("got 5");
    assertThat(counter("parity.client.timeouts", "kind", "body")).isZero();
  }
}
