package dev.shadowparity.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The small site {@code fixtures/har/chromium-site.har} was recorded against (as OLD, by {@code webtest/record-har.js}
 * in a real headless Chromium), and the very same server a test starts as NEW. Vert.x on 127.0.0.1; every answer is
 * deterministic (no Date, no ids, fixed ETags), so NEW answers exactly what OLD answered unless {@link #changed} is on.
 *
 * <ul>
 *   <li>{@code GET /}: the page (HTML), which loads {@code /style.css} and {@code /app.js};</li>
 *   <li>{@code /}, {@code /style.css}, {@code /app.js} and {@code /api/articles/2}: strong ETags and
 *       {@code Cache-Control: no-cache}, so a reload or a second fetch revalidates them ({@code If-None-Match} matching
 *       the ETag gets 304, without a body);</li>
 *   <li>{@code GET /api/articles}, {@code GET|HEAD /api/articles/1}: JSON, {@code Cache-Control: no-store}; {@code HEAD}
 *       answers the GET's headers and Content-Length without a body;</li>
 *   <li>{@code /old-home}: 301 to {@code /}; {@code /login}: 302 to {@code /api/session} (JSON);</li>
 *   <li>{@code /api/missing} and any other path: 404 JSON;</li>
 *   <li>{@code /api/slow}: answers after {@value #SLOW_MILLIS} ms (the page aborts it long before);</li>
 *   <li>a request whose Host is {@code localhost} is the "CDN", another host name for the browser: only
 *       {@code /cdn/pixel.png} (a 1×1 PNG) is there, everything else is 404, so replaying the CDN's request as a path of
 *       the site would not even find it.</li>
 * </ul>
 *
 * <p>As a main, for recording: {@code HarSiteBackend [PORT]} (0 or none: an ephemeral port) prints
 * {@code listening on http://127.0.0.1:PORT} and serves until killed.
 */
final class HarSiteBackend implements AutoCloseable {

  static final long SLOW_MILLIS = 5_000;
  static final String STYLE_ETAG = "\"style-v1\"";
  static final String APP_ETAG = "\"app-v1\"";
  static final String ARTICLE2_ETAG = "\"article-2-v1\"";
  static final String PAGE_ETAG = "\"page-v1\"";
  /** A 1×1 transparent PNG. */
  static final byte[] PIXEL = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

  static final String PAGE = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>Parity HAR site</title>
      <link rel="stylesheet" href="/style.css">
      <script src="/app.js"></script>
      </head>
      <body>
      <h1>Articles</h1>
      <ul id="articles"></ul>
      <pre id="log"></pre>
      </body>
      </html>
      """;

  static final String STYLE = """
      body { font-family: sans-serif; margin: 2em; }
      h1 { color: #334; }
      #log { background: #eee; padding: 1em; }
      """;

  /**
   * On load, lists the articles. {@code window.runChecks()} (called by the recording script after the reload) makes the
   * requests of the capture one after the other, and resolves to a log of what each got.
   */
  static final String APP = """
      'use strict';
      window.siteLog = [];
      function log(line) {
        window.siteLog.push(line);
        document.getElementById('log').textContent = window.siteLog.join('\\n');
      }
      async function listArticles() {
        const res = await fetch('/api/articles');
        const list = await res.json();
        document.getElementById('articles').innerHTML = list.map((a) => '<li>' + a.title + '</li>').join('');
        log('GET /api/articles ' + res.status + ' ' + list.length + ' articles');
      }
      window.siteReady = false;
      window.addEventListener('DOMContentLoaded', () => listArticles().then(() => { window.siteReady = true; }));

      window.runChecks = async function (options) {
        let res = await fetch('/api/articles/1');
        log('GET /api/articles/1 ' + res.status + ' ' + (await res.text()).length + ' chars');
        res = await fetch('/api/articles/2');
        log('GET /api/articles/2 ' + res.status + ' ' + (await res.text()).length + ' chars');
        res = await fetch('/api/articles/2');
        log('GET /api/articles/2 again ' + res.status + ' ' + (await res.text()).length + ' chars');
        res = await fetch('/api/articles/1', { method: 'HEAD' });
        log('HEAD /api/articles/1 ' + res.status + ' content-length ' + res.headers.get('content-length'));
        res = await fetch('/login');
        log('GET /login -> ' + new URL(res.url).pathname + ' ' + res.status + ' redirected=' + res.redirected);
        res = await fetch('/api/missing');
        log('GET /api/missing ' + res.status);
        const abort = new AbortController();
        const slow = fetch('/api/slow', { signal: abort.signal });
        setTimeout(() => abort.abort(), 300);
        try {
          await slow;
          log('GET /api/slow answered (not aborted)');
        } catch (e) {
          log('GET /api/slow ' + e.name);
        }
        const img = new Image();
        const other = 'http://localhost:' + location.port + '/cdn/pixel.png';
        await new Promise((resolve) => {
          img.onload = () => resolve(log('other host ' + other + ' loaded ' + img.naturalWidth + 'x' + img.naturalHeight));
          img.onerror = () => resolve(log('other host ' + other + ' failed'));
          img.src = other;
        });
        if (options && options.unresolvable) {
          try {
            await fetch('http://parity-unresolvable.invalid/x.js', { mode: 'no-cors' });
            log('unresolvable host answered');
          } catch (e) {
            log('unresolvable host: ' + e.name);
          }
        }
        return window.siteLog.join('\\n');
      };
      """;

  private final Vertx vertx;
  private final boolean ownVertx;
  private final HttpServer server;
  /** NEW with a regression: {@code /api/articles/1} says 21 comments where OLD said 12. */
  private final boolean changed;

  private HarSiteBackend(Vertx vertx, boolean ownVertx, int port, boolean changed) throws Exception {
    this.vertx = vertx;
    this.ownVertx = ownVertx;
    this.changed = changed;
    this.server = await(vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1"));
  }

  /** The site as recorded, on an ephemeral port of 127.0.0.1, with a Vert.x of its own. */
  static HarSiteBackend start() throws Exception {
    return new HarSiteBackend(Vertx.vertx(), true, 0, false);
  }

  /** The site with {@code /api/articles/1} changed ({@code "comments": 21} instead of 12). */
  static HarSiteBackend startChanged() throws Exception {
    return new HarSiteBackend(Vertx.vertx(), true, 0, true);
  }

  int port() {
    return server.actualPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  private void handle(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    String host = req.authority() == null ? "" : req.authority().host().toLowerCase(Locale.ROOT);
    if (host.equals("localhost")) {
      cdn(req, resp);
      return;
    }
    String path = req.path();
    switch (path) {
      case "/" -> cached(req, resp, "text/html; charset=utf-8", PAGE, PAGE_ETAG);
      case "/style.css" -> cached(req, resp, "text/css; charset=utf-8", STYLE, STYLE_ETAG);
      case "/app.js" -> cached(req, resp, "text/javascript; charset=utf-8", APP, APP_ETAG);
      case "/old-home" -> redirect(resp, 301, "/");
      case "/login" -> redirect(resp, 302, "/api/session");
      case "/api/session" -> json(req, resp, 200, "{\"user\":null,\"loginRequired\":true}");
      case "/api/articles" -> json(req, resp, 200,
          "[{\"id\":1,\"title\":\"Replaying browser captures\"},{\"id\":2,\"title\":\"Revalidation explained\"}]");
      case "/api/articles/1" -> json(req, resp, 200, "{\"id\":1,\"title\":\"Replaying browser captures\","
          + "\"author\":\"Ada\",\"tags\":[\"har\",\"chromium\"],\"comments\":" + (changed ? 21 : 12) + "}");
      case "/api/articles/2" -> cached(req, resp, "application/json", "{\"id\":2,\"title\":\"Revalidation explained\","
          + "\"author\":\"Grace\",\"tags\":[\"http\"],\"comments\":3}", ARTICLE2_ETAG);
      case "/api/slow" -> slow(req, resp);
      default -> notFound(req, resp);
    }
  }

  /** A static resource with a strong ETag that must be revalidated on every use. */
  private static void cached(HttpServerRequest req, HttpServerResponse resp, String type, String text, String etag) {
    resp.putHeader("ETag", etag).putHeader("Cache-Control", "no-cache");
    String inm = req.getHeader("If-None-Match");
    if (inm != null && java.util.Arrays.stream(inm.split(",")).map(String::trim).anyMatch(t -> t.equals(etag) || t.equals("*"))) {
      resp.setStatusCode(304).end();
      return;
    }
    resp.putHeader("Content-Type", type);
    body(req, resp, 200, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void redirect(HttpServerResponse resp, int status, String location) {
    resp.setStatusCode(status).putHeader("Location", location).putHeader("Cache-Control", "no-store")
        .putHeader("Content-Type", "text/plain; charset=utf-8").end("Moved to " + location + "\n");
  }

  private static void json(HttpServerRequest req, HttpServerResponse resp, int status, String json) {
    resp.putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store");
    body(req, resp, status, json.getBytes(StandardCharsets.UTF_8));
  }

  private static void notFound(HttpServerRequest req, HttpServerResponse resp) {
    json(req, resp, 404, "{\"error\":\"not_found\",\"path\":\"" + req.path().replaceAll("[^A-Za-z0-9/._-]", "?") + "\"}");
  }

  /** The body, or for HEAD its length only. */
  private static void body(HttpServerRequest req, HttpServerResponse resp, int status, byte[] body) {
    resp.setStatusCode(status);
    if (req.method() == HttpMethod.HEAD) {
      resp.putHeader("Content-Length", Integer.toString(body.length)).end();
    } else {
      resp.end(Buffer.buffer(body));
    }
  }

  private void slow(HttpServerRequest req, HttpServerResponse resp) {
    long timer = vertx.setTimer(SLOW_MILLIS, id -> {
      if (!resp.ended() && !resp.closed()) {
        json(req, resp, 200, "{\"slow\":true}");
      }
    });
    resp.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private static void cdn(HttpServerRequest req, HttpServerResponse resp) {
    if (req.path().equals("/cdn/pixel.png")) {
      resp.putHeader("Content-Type", "image/png").putHeader("Cache-Control", "public, max-age=86400")
          .putHeader("Access-Control-Allow-Origin", "*");
      body(req, resp, 200, PIXEL);
    } else {
      resp.putHeader("Access-Control-Allow-Origin", "*");
      notFound(req, resp);
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    await(server.close());
    if (ownVertx) {
      await(vertx.close());
    }
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    HarSiteBackend site = new HarSiteBackend(Vertx.vertx(), true, port, args.length > 1 && args[1].equals("--changed"));
    System.out.println("listening on " + site.url());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
