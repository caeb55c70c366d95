package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.shadowparity.baseline.Baseline;
import dev.shadowparity.baseline.BaselineEntry;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.tap.Tap;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page in a real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by playwright-core from
 * {@code webtest/}): the demo runs in-process on ephemeral ports, {@code webtest/page-test.js} checks that the demo's
 * endpoints are listed, opens a FAILING endpoint and finds the highlighted difference, and saves a screenshot to
 * {@code cli/target/admin-page.png}. A tap with a baseline file and an admin token, in front of two real backends,
 * is triaged by {@code webtest/triage-test.js}, which accepts a difference through the page. Pages of other origins
 * try to reset the evidence of a tap without a token ({@code webtest/csrf-test.js}) and are refused.
 */
class AdminPageBrowserTest {

  private static final Path ROOT = WebTest.ROOT;

  @Test
  void pageListsDemoEndpoints_clickOpensFailingEndpoint_withHighlightedDifference() throws Exception {
    String node = WebTest.requirements();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // the demo keeps running until a signal; a daemon thread ends with the test JVM
    Thread demo = new Thread(() -> ParityMain.run(new PrintWriter(out, true), new PrintWriter(err, true),
        "demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--requests", "200"), "admin-page-demo");
    demo.setDaemon(true);
    demo.start();
    Pattern admin = Pattern.compile("Admin API:\\s+(http://127\\.0\\.0\\.1:\\d+)/api/report");
    Matcher m = Poll.until(() -> {
      Matcher found = admin.matcher(out.toString());
      if (found.find()) {
        return found;
      }
      if (!demo.isAlive()) {
        fail("the demo did not start: " + out + err);
      }
      return null;
    }, java.time.Duration.ofSeconds(90), "the demo's admin URL");
    String adminUrl = m.group(1);
    Path shot = ROOT.resolve("cli/target/admin-page.png");
    Files.deleteIfExists(shot);
    String output = WebTest.run(node, "webtest/page-test.js", adminUrl, "cli/target/admin-page.png");
    assertThat(output).contains("page-test OK").containsPattern("listed \\d+ endpoints")
        .containsPattern("endpoint page: \\d+ highlighted differences, first: \u2260 /average 937 937\\.5");
    assertThat(shot).exists();
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }

  /**
   * A users API with its own data, as OLD or NEW: GET one ({@code served_by} says which backend: pinned noise), GET
   * the list, PUT one (the body is the new name); each answer with its CORS header.
   */
  private static Handler<HttpServerRequest> usersApi(String cors, String side) {
    Map<String, String> names = new ConcurrentHashMap<>(Map.of("1", "Ada", "2", "Grace", "3", "Edsger"));
    return req -> {
      req.response().putHeader("Content-Type", "application/json").putHeader("Access-Control-Allow-Origin", cors);
      if (req.path().equals("/api/users")) {
        StringBuilder b = new StringBuilder("[");
        new TreeMap<>(names).forEach((id, n) -> b.append(b.length() > 1 ? "," : "").append("{\"id\":").append(id)
            .append(",\"name\":\"").append(n).append("\"}"));
        req.response().end(b.append(']').toString());
        return;
      }
      String id = req.path().substring(req.path().lastIndexOf('/') + 1);
      if (req.method() == HttpMethod.PUT) {
        req.body().onSuccess(body -> {
          names.put(id, body.toString());
          req.response().setStatusCode(204).end();
        });
        return;
      }
      req.response().end("{\"id\":" + id + ",\"name\":\"" + names.get(id) + "\",\"served_by\":\"" + side + "\"}");
    };
  }

  @Test
  void triage_groupAcrossEndpoints_baseline_andAcceptingAGroupThroughThePage_writesTheFile(@TempDir Path dir) throws Exception {
    String node = WebTest.requirements();
    Path file = dir.resolve("parity-baseline.yaml");
    Files.writeString(file, """
        accepted:
          - field: /legacy_id
            endpoints: ["GET /api/users/{id}"]
            reason: dropped in v2 (API-7)
            by: carol
        """);
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer old = await(vertx.createHttpServer().requestHandler(usersApi("https://app.example", "old")).listen(0, "127.0.0.1"));
      HttpServer neu = await(vertx.createHttpServer().requestHandler(usersApi("*", "new")).listen(0, "127.0.0.1"));
      Tap tap = await(Tap.start(vertx, ConfigLoader.parse("noise:\n  always: [/served_by]\n", "t"),
          ConfigLoader.parseTap("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: http://127.0.0.1:" + old.actualPort()
              + "\nnew: http://127.0.0.1:" + neu.actualPort() + "\nadmin-token: s3cret\n", "t"), Baseline.load(file)));
      String proxy = "http://127.0.0.1:" + tap.proxyPort();
      HttpClient client = HttpClient.newHttpClient();
      for (String path : new String[] {"/api/users/1", "/api/users/2", "/api/users/3", "/api/users/3?fields=name"}) {
        assertThat(client.send(HttpRequest.newBuilder(URI.create(proxy + path)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode()).isEqualTo(200);
      }
      // a write that reaches OLD only: the next reads of user 2 differ in the name
      assertThat(client.send(HttpRequest.newBuilder(URI.create(proxy + "/api/users/2"))
          .PUT(HttpRequest.BodyPublishers.ofString("Grace Hopper")).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(204);
      for (String path : new String[] {"/api/users/2", "/api/users", "/api/users?page=1"}) {
        client.send(HttpRequest.newBuilder(URI.create(proxy + path)).build(), HttpResponse.BodyHandlers.discarding());
      }
      awaitCompared(tap, "GET /api/users/{id}", 5);
      awaitCompared(tap, "GET /api/users", 2);

      String output = WebTest.run(node, "webtest/triage-test.js", "http://127.0.0.1:" + tap.adminPort(), proxy, "s3cret",
          "cli/target/admin-page-triage.png");
      assertThat(output).contains("triage-test OK").containsPattern("group: header:access-control-allow-origin value .*on 2 endpoints")
          .contains("refused: HTTP 409: already accepted").contains("Likely cause: PUT /api/users/2 (OLD answered 204)");
      // the file as written: the entry of the other operator, then the one accepted through the button
      assertThat(Files.readString(file)).contains("field: /legacy_id").contains("field: header:access-control-allow-origin")
          .contains("by: alice").contains("SEC-112");
      List<BaselineEntry> entries = Baseline.load(file).entries();
      assertThat(entries).extracting(BaselineEntry::field)
          .containsExactly("/legacy_id", "/name", "header:access-control-allow-origin");
      assertThat(entries.get(2)).satisfies(e -> {
        assertThat(e.kind()).isEqualTo("value");
        assertThat(e.endpoints()).containsExactly("GET /api/users/{id}", "GET /api/users");
        assertThat(e.old()).isNull();
        assertThat(e.neu()).isNull();
        assertThat(e.reason()).isEqualTo("blanket CORS policy, SEC-112");
        assertThat(e.by()).isEqualTo("alice");
        assertThat(e.at()).isNotBlank();
      });
      assertThat(tap.engine().baseline().entries()).isEqualTo(entries);
      await(tap.shutdown(1000));
    } finally {
      await(vertx.close());
    }
  }

  /** The attacker's page: posts to the admin's /api/reset (the admin's base URL after the #) as soon as it loads. */
  private static final String ATTACK_PAGE = """
      <!doctype html><title>A page the operator happens to visit</title>
      <form id="f" method="POST" enctype="text/plain"><input name="a" value="b"></form>
      <script>
        var target = decodeURIComponent(location.hash.slice(1)) + '/api/reset';
        if (location.search === '?fetch') {
          fetch(target, { method: 'POST', mode: 'no-cors', body: 'a=b' });
        } else {
          document.getElementById('f').action = target;
          document.getElementById('f').submit();
        }
      </script>
      """;

  /**
   * CSRF in a real Chromium: a tap without a token (the default), and pages of another site and of the same site on
   * another port that post to {@code /api/reset} with a form or a no-cors fetch: all refused, the evidence period
   * unchanged; the admin page's own POST passes.
   */
  @Test
  void anotherSitesPage_cannotResetTheEvidence_theAdminPageItselfCan() throws Exception {
    String node = WebTest.requirements();
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer old = await(vertx.createHttpServer().requestHandler(usersApi("*", "old")).listen(0, "127.0.0.1"));
      HttpServer neu = await(vertx.createHttpServer().requestHandler(usersApi("*", "new")).listen(0, "127.0.0.1"));
      HttpServer attacker = await(vertx.createHttpServer().requestHandler(req -> req.response()
          .putHeader("Content-Type", "text/html; charset=utf-8").end(ATTACK_PAGE)).listen(0, "127.0.0.1"));
      Tap tap = await(Tap.start(vertx, ConfigLoader.parse("", "t"), ConfigLoader.parseTap("listen: 127.0.0.1:0\n"
          + "admin: 127.0.0.1:0\nold: http://127.0.0.1:" + old.actualPort() + "\nnew: http://127.0.0.1:" + neu.actualPort()
          + "\n", "t")));
      long period = tap.store().period();
      String output = WebTest.run(node, "webtest/csrf-test.js", "http://127.0.0.1:" + tap.adminPort(),
          "http://127.0.0.1:" + attacker.actualPort());
      assertThat(output).contains("csrf-test OK")
          .contains("cross-site form from http://localhost:" + attacker.actualPort() + ": HTTP 403, Sec-Fetch-Site cross-site")
          .contains("same-site form from http://127.0.0.1:" + attacker.actualPort() + ": HTTP 403, Sec-Fetch-Site same-site")
          .contains("cross-site fetch from http://localhost:" + attacker.actualPort() + ": HTTP 403")
          .contains("same-origin POST from the admin page: 200");
      assertThat(tap.store().period()).as("only the admin page's own reset began a period").isEqualTo(period + 1);
      await(tap.shutdown(1000));
    } finally {
      await(vertx.close());
    }
  }

  /**
   * Integers past 2^53 (an int64 id; gRPC's int64 fields) are compared exactly by the engine, and the page shows them
   * exactly too: the sample's body table has both of two ids that differ only in the last digit, and an equal big id
   * once, unmarked ({@code webtest/bignum-test.js}).
   */
  @Test
  void bigIntegers_areShownExactlyOnTheEndpointPage() throws Exception {
    String node = WebTest.requirements();
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer old = await(vertx.createHttpServer().requestHandler(req -> req.response()
          .putHeader("Content-Type", "application/json").end("{\"big\":9007199254740993,\"same\":9007199254740995}"))
          .listen(0, "127.0.0.1"));
      HttpServer neu = await(vertx.createHttpServer().requestHandler(req -> req.response()
          .putHeader("Content-Type", "application/json").end("{\"big\":9007199254740992,\"same\":9007199254740995}"))
          .listen(0, "127.0.0.1"));
      Tap tap = await(Tap.start(vertx, ConfigLoader.parse("", "t"), ConfigLoader.parseTap("listen: 127.0.0.1:0\n"
          + "admin: 127.0.0.1:0\nold: http://127.0.0.1:" + old.actualPort() + "\nnew: http://127.0.0.1:" + neu.actualPort()
          + "\nsample-rate: 1\n", "t")));
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + tap.proxyPort() + "/api/ids/7"))
          .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
      awaitCompared(tap, "GET /api/ids/{id}", 1);
      assertThat(tap.engine().ledger().report().endpoint("GET /api/ids/{id}").mismatched()).isEqualTo(1);
      String output = WebTest.run(node, "webtest/bignum-test.js", "http://127.0.0.1:" + tap.adminPort(), "GET /api/ids/{id}");
      assertThat(output).contains("bignum-test OK");
      await(tap.shutdown(1000));
    } finally {
      await(vertx.close());
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Waits (at most 30 s) until the tap has compared {@code n} exchanges of the endpoint. */
  private static void awaitCompared(Tap tap, String endpoint, long n) throws Exception {
    Poll.until(() -> {
      EndpointReport r = tap.engine().ledger().report().endpoint(endpoint);
      return r != null && r.compared() >= n ? r : null;
    }, java.time.Duration.ofSeconds(30), endpoint + " compared " + n + " times");
  }
}
