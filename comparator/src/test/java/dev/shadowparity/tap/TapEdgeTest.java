package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.report.EndpointReport;
import io.micrometer.core.instrument.FunctionCounter;
import io.vertx.core.MultiMap;
import io.vertx.core.net.NetServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The proxy's edge, with real sockets: forged markers never reach a backend, a repeated, missing or malformed Host
 * and a malformed target are refused (and counted) before OLD sees anything, an absolute-form target goes on in
 * origin-form without its userinfo, and an OLD that answers a 1xx the request never asked for gives the client a 502.
 */
class TapEdgeTest {

  private final TapHarness h = new TapHarness();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    h.close();
  }

  /** A backend's view of one request: its line and its headers. */
  record Seen(String line, MultiMap headers) {}

  private static io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> recording(List<Seen> seen, String answer) {
    return req -> req.body().onSuccess(b -> {
      seen.add(new Seen(req.method() + " " + req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
      req.response().putHeader("Content-Type", "text/plain").end(answer);
    });
  }

  /** The names of a map that look like a marker of the tap's, whatever their case or separators. */
  private static List<String> markers(MultiMap headers) {
    return headers.names().stream().filter(n -> n.toLowerCase().replace('_', '-').startsWith("x-parity")).toList();
  }

  @Test
  void forgedMarkers_onGetAndPost_neverReachOld_andNewGetsOnlyTheTapsOwn() throws Exception {
    List<Seen> oldSaw = new CopyOnWriteArrayList<>();
    List<Seen> newSaw = new CopyOnWriteArrayList<>();
    Path capture = dir.resolve("capture.ndjson");
    h.old(recording(oldSaw, "ok")).neu(recording(newSaw, "ok"))
        .tap("capture: {file: " + capture + "}\nendpoints:\n  \"POST /mirrored\": {mirror-methods: [POST]}\n");
    String forged = "X-Parity-Shadow: forged\r\nx-parity-replay: forged\r\nX_Parity_Shadow: forged\r\n"
        + "X-PARITY-Anything: forged\r\nx-parity_shadow: forged\r\n";
    assertThat(h.raw("GET /get HTTP/1.1\r\nHost: shop.example\r\n" + forged + "Connection: close\r\n\r\n", 10_000))
        .startsWith("HTTP/1.1 200");
    assertThat(h.raw("POST /mirrored HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 5\r\n" + forged
        + "Connection: close\r\n\r\nhello", 10_000)).startsWith("HTTP/1.1 200");
    assertThat(h.raw("POST /unmirrored HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 5\r\n" + forged
        + "Connection: close\r\n\r\nhello", 10_000)).startsWith("HTTP/1.1 200");
    h.awaitEndpoint("GET /get", e -> e.compared() == 1);
    h.awaitEndpoint("POST /mirrored", e -> e.compared() == 1);
    assertThat(h.awaitEndpoint("POST /unmirrored", e -> !e.skipped().isEmpty()).skipped()).containsEntry("unsafe-method", 1L);

    assertThat(oldSaw).extracting(Seen::line).containsExactlyInAnyOrder("GET /get", "POST /mirrored", "POST /unmirrored");
    for (Seen s : oldSaw) {
      assertThat(markers(s.headers())).as("OLD's %s", s.line()).isEmpty();
      assertThat(s.headers().get("host")).isEqualTo("shop.example");
    }
    assertThat(newSaw).extracting(Seen::line).containsExactlyInAnyOrder("GET /get", "POST /mirrored");
    for (Seen s : newSaw) {
      assertThat(markers(s.headers())).as("NEW's %s", s.line()).containsExactly("X-Parity-Shadow");
      assertThat(s.headers().getAll("X-Parity-Shadow")).as("NEW's %s", s.line()).containsExactly("1");
    }
    h.close(); // flushes the capture
    String captured = Files.readString(capture);
    assertThat(captured).contains("/get").contains("/mirrored").doesNotContain("forged");
  }

  /** A raw request on its own connection: what came back, and whether the tap closed the connection. */
  record Answer(String text, boolean closed) {}

  private Answer send(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", h.tap.proxyPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
        }
        return new Answer(out.toString(StandardCharsets.ISO_8859_1), true);
      } catch (SocketTimeoutException e) {
        return new Answer(out.toString(StandardCharsets.ISO_8859_1), false);
      }
    }
  }

  private long refusedCount(String reason) {
    FunctionCounter c = h.tap.registry().find("parity.refused.requests").tag("reason", reason).functionCounter();
    assertThat(c).as("parity_refused_requests_total{reason=%s} is registered", reason).isNotNull();
    return (long) c.count();
  }

  @Test
  void aRepeatedMissingOrMalformedHost_aMalformedTarget_andConnect_areRefused_counted_andNeverReachOld() throws Exception {
    List<Seen> oldSaw = new CopyOnWriteArrayList<>();
    h.old(recording(oldSaw, "ok")).neu(recording(new CopyOnWriteArrayList<>(), "ok")).tap("");
    // each request without Connection: close, so that the close is the tap's
    String[][] cases = {
        {"GET /r HTTP/1.1\r\n\r\n", "host-missing"},
        {"GET http://shop.example/r HTTP/1.1\r\n\r\n", "host-missing"},
        {"GET /r HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n", "host-repeated"},
        {"GET /r HTTP/1.1\r\nHost: a.example\r\nhost: a.example\r\n\r\n", "host-repeated"},
        {"GET http://shop.example/r HTTP/1.1\r\nHost: shop.example\r\nHost: shop.example\r\n\r\n", "host-repeated"},
        {"GET /r HTTP/1.1\r\nHost: a@b\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: user:pass@shop.example\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a b\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a,b\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a%2eb\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a/b\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: \r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a:99999\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a:0\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a:x\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a:\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: a:80:80\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.1\r\nHost: [::1\r\n\r\n", "host-malformed"},
        {"GET /r HTTP/1.0\r\nHost: a@b\r\n\r\n", "host-malformed"},
        {"GET * HTTP/1.1\r\nHost: shop.example\r\n\r\n", "target-malformed"},
        {"GET shop.example:80 HTTP/1.1\r\nHost: shop.example\r\n\r\n", "target-malformed"},
        {"GET ftp://shop.example/r HTTP/1.1\r\nHost: shop.example\r\n\r\n", "target-malformed"},
        {"GET http://a@b@shop.example/r HTTP/1.1\r\nHost: shop.example\r\n\r\n", "target-malformed"},
        {"GET http://shop.example:99999/r HTTP/1.1\r\nHost: shop.example\r\n\r\n", "target-malformed"},
        {"GET http:///r HTTP/1.1\r\nHost: shop.example\r\n\r\n", "target-malformed"},
        {"CONNECT shop.example:443 HTTP/1.1\r\nHost: shop.example:443\r\n\r\n", "connect"},
    };
    Map<String, Long> expected = new ConcurrentHashMap<>();
    for (String[] c : cases) {
      Answer a = send(c[0]);
      String status = c[1].equals("connect") ? "HTTP/1.1 501 " : c[0].contains("HTTP/1.0") ? "HTTP/1.0 400 " : "HTTP/1.1 400 ";
      assertThat(a.text()).as(c[0]).startsWith(status);
      assertThat(a.closed()).as("the tap closed the connection after refusing %s", c[0]).isTrue();
      expected.merge(c[1], 1L, Long::sum);
    }
    // a good request after them all: once it is answered, anything sent before would have reached OLD too
    assertThat(send("GET /good HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n").text()).startsWith("HTTP/1.1 200");
    assertThat(oldSaw).extracting(Seen::line).containsExactly("GET /good");
    h.awaitEndpoint("GET /good", e -> e.compared() == 1);
    // refusals are no exchanges: no endpoint holds them; the metric counts them by reason
    assertThat(h.tap.engine().ledger().report().endpoints()).extracting(EndpointReport::endpoint).containsExactly("GET /good");
    for (String reason : List.of("host-missing", "host-repeated", "host-malformed", "target-malformed", "connect")) {
      assertThat(refusedCount(reason)).as(reason).isEqualTo(expected.getOrDefault(reason, 0L));
    }
    String metrics = h.adminGet("/metrics").body();
    assertThat(metrics).contains("parity_refused_requests_total{reason=\"host-repeated\"} 3.0");
  }

  @Test
  void wellFormedHosts_http10WithoutHost_andOptionsStar_areForwarded() throws Exception {
    List<Seen> oldSaw = new CopyOnWriteArrayList<>();
    h.old(recording(oldSaw, "ok")).neu(recording(new CopyOnWriteArrayList<>(), "ok")).tap("");
    String oldAuthority = "127.0.0.1:" + h.oldServer.actualPort();
    String[][] cases = {
        {"GET /ten HTTP/1.0\r\n\r\n", "GET /ten", oldAuthority},
        {"GET /ten-empty HTTP/1.0\r\nHost: \r\n\r\n", "GET /ten-empty", oldAuthority},
        {"GET /v4 HTTP/1.1\r\nHost: 10.0.0.7:8080\r\nConnection: close\r\n\r\n", "GET /v4", "10.0.0.7:8080"},
        {"GET /v6 HTTP/1.1\r\nHost: [2001:db8::1]:443\r\nConnection: close\r\n\r\n", "GET /v6", "[2001:db8::1]:443"},
        {"GET /name HTTP/1.1\r\nHost: Shop-1.example.COM.\r\nConnection: close\r\n\r\n", "GET /name", "Shop-1.example.COM."},
        {"OPTIONS * HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n", "OPTIONS *", "shop.example"},
    };
    for (String[] c : cases) {
      Answer a = send(c[0]);
      assertThat(a.text()).as(c[0]).matches("HTTP/1\\.[01] 200 (?s).*");
      assertThat(oldSaw).as(c[0]).last().satisfies(s -> {
        assertThat(s.line()).isEqualTo(c[1]);
        assertThat(s.headers().getAll("host")).containsExactly(c[2]);
      });
    }
    assertThat(refusedCount("host-malformed") + refusedCount("host-missing") + refusedCount("target-malformed")).isZero();
  }

  @Test
  void anAbsoluteFormTarget_goesOnInOriginForm_withTheHostOfItsAuthority_andItsUserinfoIsNowhere() throws Exception {
    List<Seen> oldSaw = new CopyOnWriteArrayList<>();
    List<Seen> newSaw = new CopyOnWriteArrayList<>();
    Path db = dir.resolve("parity.db");
    Path capture = dir.resolve("capture.ndjson");
    // NEW answers otherwise, so the exchanges are mismatches with samples (which name the request)
    h.old(recording(oldSaw, "old")).neu(recording(newSaw, "new"))
        .tap("forwarded-headers: true\nstore: {file: " + db + ", flush: 100ms}\ncapture: {file: " + capture + "}\n");
    assertThat(send("GET http://bob:SECRET-pw@evil.example:99/api/items/7?q=1 HTTP/1.1\r\nHost: other.example\r\n"
        + "Connection: close\r\n\r\n").text()).startsWith("HTTP/1.1 200");
    assertThat(send("GET HTTPS://bob:SECRET-pw@evil.example/api/items/8#frag HTTP/1.1\r\nHost: other.example\r\n"
        + "Connection: close\r\n\r\n").text()).startsWith("HTTP/1.1 200");
    assertThat(send("GET http://bob:SECRET-pw@evil.example?x=1 HTTP/1.0\r\n\r\n").text()).startsWith("HTTP/1.0 200");
    EndpointReport items = h.awaitEndpoint("GET /api/items/{id}", e -> e.compared() == 2);
    assertThat(items.mismatched()).isEqualTo(2);
    h.awaitEndpoint("GET /", e -> e.compared() == 1);

    for (List<Seen> saw : List.of(oldSaw, newSaw)) {
      assertThat(saw).extracting(Seen::line)
          .containsExactlyInAnyOrder("GET /api/items/7?q=1", "GET /api/items/8", "GET /?x=1");
      assertThat(saw).extracting(s -> s.headers().get("host"))
          .containsExactlyInAnyOrder("evil.example:99", "evil.example", "evil.example");
      assertThat(saw).extracting(s -> s.headers().get("x-forwarded-host"))
          .containsExactlyInAnyOrder("evil.example:99", "evil.example", "evil.example");
      for (Seen s : saw) {
        assertThat(s.headers().entries().toString()).doesNotContain("SECRET").doesNotContain("bob");
      }
    }
    h.tap.store().flushNow();
    String report = h.adminGet("/api/report").body();
    String samples = h.adminGet("/api/endpoints/" + java.net.URLEncoder.encode("GET /api/items/{id}", StandardCharsets.UTF_8)
        .replace("+", "%20") + "/samples").body();
    assertThat(samples).contains("/api/items/7?q=1");
    h.close();
    List<Path> written = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(written::add);
    }
    assertThat(written).contains(db, capture);
    for (Path file : written) {
      assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.getFileName().toString())
          .doesNotContain("SECRET").doesNotContain("bob:");
    }
    assertThat(report + samples).doesNotContain("SECRET").doesNotContain("bob:");
  }

  /** OLD as a raw TCP server: each request head gets {@code answer(request line)}; connections opened and closed are counted. */
  private NetServer rawOld(Function<String, String> answer, AtomicInteger opened, AtomicInteger closed) {
    return TapHarness.await(h.vertx.createNetServer().connectHandler(so -> {
      opened.incrementAndGet();
      so.closeHandler(v -> closed.incrementAndGet());
      StringBuilder pending = new StringBuilder();
      so.handler(b -> {
        pending.append(b.toString(StandardCharsets.ISO_8859_1));
        int end;
        while ((end = pending.indexOf("\r\n\r\n")) >= 0) { // a request body (none here but a POST's) is never a head
          String line = pending.substring(0, pending.indexOf("\r\n"));
          pending.delete(0, end + 4);
          so.write(answer.apply(line));
        }
      });
    }).listen(0, "127.0.0.1"));
  }

  private void tapBefore(NetServer old, String yaml) {
    String full = "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: http://127.0.0.1:" + old.actualPort() + "\nnew: "
        + h.newUrl() + "\n" + yaml;
    h.tap = TapHarness.await(Tap.start(h.vertx, ConfigLoader.parse(full, "test.yaml"), ConfigLoader.parseTap(full, "test.yaml")));
  }

  private static final String FINE = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nfine";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "HTTP/1.1 101 Switching Protocols\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      "HTTP/1.1 102 Processing\r\n\r\n" + FINE,
      "HTTP/1.1 199 Whatever\r\n\r\n"})
  void oldAnsweringA1xxNobodyAskedFor_givesTheClientA502_closesOldsConnection_andIsOneOldProtocolFailure(String oldAnswer)
      throws Exception {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    NetServer old = rawOld(line -> line.contains("/fine") ? FINE : oldAnswer, opened, closed);
    h.neu(req -> req.response().putHeader("Content-Type", "text/plain").end("fine"));
    tapBefore(old, "");

    // the client is not left with a 1xx and then nothing: it gets a 502 (and the tap closes, as the client asked)
    Answer up = send("GET /up HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
    assertThat(up.text()).startsWith("HTTP/1.1 502 ").doesNotContain(" 101 ").doesNotContain(" 102 ");
    assertThat(up.closed()).isTrue();
    // one outcome for the exchange: an OLD protocol failure
    EndpointReport e = h.awaitEndpoint("GET /up", x -> x.errors() == 1);
    assertThat(e.errorKinds()).containsExactly(Map.entry("old:protocol", 1L));
    assertThat(e.compared() + e.notComparable().values().stream().mapToLong(Long::longValue).sum()
        + e.skipped().values().stream().mapToLong(Long::longValue).sum()).isZero();
    // OLD's connection, in an unknown state after that answer, is closed, never reused
    TapHarness.eventually(() -> closed.get() == 1, "the tap closed OLD's connection");

    // an unmirrored POST the same: a 502; skipped as a write, and OLD's failure in parity_backend_errors_total
    Answer post = send("POST /up HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");
    assertThat(post.text()).startsWith("HTTP/1.1 502 ");
    TapHarness.eventually(() -> h.tap.engine().ledger().backendErrors("POST /up", "old", BackendFailure.Kind.PROTOCOL) == 1,
        "OLD's protocol failure on the unmirrored POST is counted");
    assertThat(h.tap.engine().ledger().report().endpoint("POST /up").skipped()).containsExactly(Map.entry("unsafe-method", 1L));
    TapHarness.eventually(() -> closed.get() == 2, "the tap closed OLD's second connection");

    // and the next request gets OLD's real answer on a fresh connection
    assertThat(send("GET /fine HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n").text())
        .startsWith("HTTP/1.1 200 ").endsWith("fine");
    assertThat(h.awaitEndpoint("GET /fine", x -> x.compared() == 1).matched()).isEqualTo(1);
    assertThat(opened.get()).isEqualTo(3);
  }

  @Test
  void oldsEarlyHints_areDropped_andItsFinalAnswerRelayed() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    NetServer old = rawOld(line -> "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n" + FINE, opened, closed);
    h.neu(req -> req.response().putHeader("Content-Type", "text/plain").end("fine"));
    tapBefore(old, "");
    Answer a = send("GET /hinted HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
    assertThat(a.text()).startsWith("HTTP/1.1 200 ").doesNotContain("103").doesNotContain("s.css").endsWith("fine");
    EndpointReport e = h.awaitEndpoint("GET /hinted", x -> x.compared() == 1);
    assertThat(e.matched()).isEqualTo(1);
    assertThat(e.errors()).isZero();
  }
}
