package dev.shadowparity.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.shadowparity.cli.ParityMain;
import dev.shadowparity.tap.Tap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parity gate --prometheus} when the API cannot be used: unreachable, an HTTP error, Prometheus refusing the
 * query, an answer over the byte cap, no answer or half an answer within the timeout; and with credentials from the
 * environment through an authenticating gateway in front of Prometheus (as Mimir's or an nginx's), in a process of its
 * own, where neither the token nor the password ever shows. Real servers throughout: Debian's Prometheus scraping a
 * tap, the JDK's HTTP server as the gateway, plain sockets that accept and then stay silent.
 */
class GatePrometheusErrorsTest {

  static final String TOKEN = "s3cret-token-7f1d";
  static final String USER = "gate";
  static final String PASSWORD = "pa55-word-91c2";
  static final String TENANT = "tenant-1";

  @TempDir
  static Path dir;

  static DemoFleet fleet;
  static PrometheusServer prometheus;
  static HttpServer gateway;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void startTapPrometheusAndGateway() throws Exception {
    fleet = new DemoFleet();
    Tap tap = fleet.startTap(false);
    prometheus = PrometheusServer.start(dir, List.of(DemoFleet.adminAddress(tap)));
    DemoFleet.awaitCounted(tap, fleet.drive(tap, 1));
    GatePrometheusFleetTest.awaitScraped(prometheus, List.of(tap));
    gateway = gateway(prometheus.url());
  }

  @AfterAll
  static void stop() {
    try {
      if (gateway != null) {
        gateway.stop(0);
      }
      if (prometheus != null) {
        prometheus.close();
      }
    } finally {
      if (fleet != null) {
        fleet.close();
      }
    }
  }

  /**
   * Serves {@code /prometheus/api/v1/query} as Mimir does, for requests with the bearer token (and the tenant header)
   * or the user and password; forwards them to Prometheus and relays its answer. Anything else: 401.
   */
  static HttpServer gateway(String upstream) throws IOException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    server.createContext("/prometheus/api/v1/query", ex -> {
      try (ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        boolean bearer = ("Bearer " + TOKEN).equals(auth) && TENANT.equals(ex.getRequestHeaders().getFirst("X-Scope-OrgID"));
        if (!bearer && !basic.equals(auth)) {
          byte[] no = "no valid credentials for this tenant\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(401, no.length);
          ex.getResponseBody().write(no);
          return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(upstream + "/api/v1/query"))
            .header("Content-Type", ex.getRequestHeaders().getFirst("Content-Type"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
        ex.sendResponseHeaders(r.statusCode(), r.body().length);
        ex.getResponseBody().write(r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while forwarding to Prometheus", e);
      }
    });
    server.start();
    return server;
  }

  static Run gate(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    List<String> all = new ArrayList<>(List.of("gate"));
    all.addAll(List.of(args));
    int exit = ParityMain.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** The gate in a process of its own, as a pipeline runs it, with {@code env} as its only PARITY_PROMETHEUS_* variables. */
  static Run process(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ParityMain.class.getName(), "gate"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("PARITY_PROMETHEUS_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the gate's process finished").isTrue();
    } finally {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void unreachable_exit2_sayingWhere() throws Exception {
    String url = "http://127.0.0.1:" + freePort();
    Run r = gate("--prometheus", url);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("parity gate: cannot reach Prometheus at " + url + ": ").doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void httpError_exit2_withTheStatusAndAHint() {
    Run r = gate("--prometheus", prometheus.url() + "/nope");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("parity gate: Prometheus at " + prometheus.url() + "/nope answered HTTP 404 to time()")
        .contains("is " + prometheus.url() + "/nope the API's base?");
  }

  @Test
  void prometheusRefusingTheQuery_exit2_withItsError() {
    Run r = gate("--prometheus", prometheus.url(), "--selector", "{job=~\"(\"}");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("parity gate: Prometheus at " + prometheus.url() + " answered HTTP 400 to parity_exchanges_total{job=~\"(\"}[")
        .contains("bad_data: ").contains("missing closing )");
  }

  @Test
  void answerOverTheCap_exit2_namingTheCapAndWhatToDo() {
    Run fits = gate("--prometheus", prometheus.url());
    assertThat(fits.exit()).as(fits.err()).isEqualTo(1);
    Run r = gate("--prometheus", prometheus.url(), "--max-response-bytes", "2048");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("to parity_exchanges_total[3900000ms] is larger than 2048 bytes (--max-response-bytes): "
        + "give a shorter --window or a narrower --selector");
  }

  @Test
  void noAnswerWithinTheTimeout_exit2() throws Exception {
    // accepts connections (the kernel's backlog) and never answers
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort();
      Run r = gate("--prometheus", url, "--timeout", "1s");
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("parity gate: Prometheus at " + url + " did not answer within 1 s (--timeout)");
    }
  }

  @Test
  void halfAnAnswerWithinTheTimeout_exit2() throws Exception {
    // answers with a head and the start of a body, then stays silent with the connection open
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch done = new CountDownLatch(1);
      Thread t = new Thread(() -> {
        try (Socket s = server.accept()) {
          InputStream in = s.getInputStream();
          byte[] buf = new byte[8192];
          String head = "";
          while (!head.contains("\r\n\r\n")) {
            int n = in.read(buf);
            if (n < 0) {
              return;
            }
            head += new String(buf, 0, n, StandardCharsets.ISO_8859_1);
          }
          OutputStream o = s.getOutputStream();
          o.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
              + "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[").getBytes(StandardCharsets.ISO_8859_1));
          o.flush();
          done.await(60, TimeUnit.SECONDS);
        } catch (IOException e) {
          // the client closed its end: nothing more to send
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "half-answer");
      t.start();
      String url = "http://127.0.0.1:" + server.getLocalPort();
      Run r = gate("--prometheus", url, "--timeout", "1s");
      done.countDown();
      t.join(10_000);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("parity gate: Prometheus at " + url + " did not send its whole answer within 1 s (--timeout)");
    }
  }

  @Test
  void credentialsFromTheEnvironment_reachTheGateway_andNeverShow() throws Exception {
    String url = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/prometheus";
    Run direct = gate("--prometheus", prometheus.url());
    assertThat(direct.exit()).isEqualTo(1);

    Run bearer = process(Map.of("PARITY_PROMETHEUS_TOKEN", TOKEN, "PARITY_LOG_LEVEL", "DEBUG"),
        "--prometheus", url, "--header", "X-Scope-OrgID: " + TENANT);
    assertThat(bearer.exit()).as(bearer.out() + bearer.err()).isEqualTo(1);
    assertThat(bearer.out()).startsWith("Evidence: Prometheus at " + url + ", ");
    assertThat(GatePrometheusFleetTest.body(bearer.out())).isEqualTo(GatePrometheusFleetTest.body(direct.out()));
    assertThat(bearer.err()).as("debug logs name the API, not the credentials").contains("asking " + url)
        .doesNotContain(TOKEN).doesNotContain(TENANT);

    Run basic = process(Map.of("PARITY_PROMETHEUS_USER", USER, "PARITY_PROMETHEUS_PASSWORD", PASSWORD),
        "--prometheus", url);
    assertThat(basic.exit()).as(basic.out() + basic.err()).isEqualTo(1);
    assertThat(GatePrometheusFleetTest.body(basic.out())).isEqualTo(GatePrometheusFleetTest.body(direct.out()));

    Run wrong = process(Map.of("PARITY_PROMETHEUS_TOKEN", TOKEN + "-old"), "--prometheus", url, "--header",
        "X-Scope-OrgID: " + TENANT);
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("answered HTTP 401 to time(): no valid credentials for this tenant")
        .contains("PARITY_PROMETHEUS_TOKEN");
    for (Run r : List.of(bearer, basic, wrong)) {
      assertThat(r.out() + r.err()).doesNotContain(TOKEN).doesNotContain(PASSWORD)
          .doesNotContain(Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
  }
}
