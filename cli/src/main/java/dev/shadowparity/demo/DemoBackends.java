package dev.shadowparity.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shadowparity.endpoint.EndpointTemplater;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.http.HttpParseException;
import dev.shadowparity.http.RawHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Two demo backends that behave like the same shop API on Python 2 (OLD) and Python 3 (NEW): they answer
 * with the responses captured from the real interpreters ({@code fixtures/pairs}, bundled in the jar),
 * with a fresh Date and a random X-Request-Id (noise the comparison must ignore). A request is matched by
 * its exact method and target first, then by its templated endpoint.
 */
public final class DemoBackends {

  private static final Set<String> DROPPED = Set.of("date", "content-length", "transfer-encoding", "connection");

  /** One captured pair. */
  public record Pair(String name, String method, String target, RecordedResponse old, RecordedResponse neu) {}

  private final List<Pair> pairs;
  private final Map<String, Pair> byTarget = new LinkedHashMap<>();
  private final Map<String, Pair> byEndpoint = new LinkedHashMap<>();
  private volatile boolean stampServedAt;

  private DemoBackends(List<Pair> pairs) {
    this.pairs = List.copyOf(pairs);
    EndpointTemplater templater = new EndpointTemplater(List.of(), 10_000);
    for (Pair p : pairs) {
      byTarget.putIfAbsent(p.method() + " " + p.target(), p);
      byEndpoint.putIfAbsent(templater.endpointOf(p.method(), p.target()), p);
    }
  }

  /** Loads the pairs bundled under {@code demo/pairs/} on the class path. */
  public static DemoBackends load() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Pair> pairs = new ArrayList<>();
    try (InputStream in = resource("demo/pairs/pairs.yaml")) {
      for (JsonNode n : yaml.readTree(in)) {
        String name = n.get("name").asText();
        String[] request = n.get("request").asText().split(" ", 2);
        pairs.add(new Pair(name, request[0], request[1], response(name, "old"), response(name, "new")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled demo pairs", e);
    }
    return new DemoBackends(pairs);
  }

  private static RecordedResponse response(String name, String side) throws IOException {
    try (InputStream in = resource("demo/pairs/" + name + "/" + side + ".http")) {
      return RawHttp.parseResponse(in.readAllBytes());
    } catch (HttpParseException e) {
      throw new IOException("bundled pair " + name + "/" + side + ".http is not valid HTTP: " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String path) throws IOException {
    InputStream in = DemoBackends.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IOException("missing resource " + path + " (is the jar built with the demo pairs?)");
    }
    return in;
  }

  public List<Pair> pairs() {
    return pairs;
  }

  /**
   * Stamps JSON object answers with a fresh {@code served_at}, as many stacks do: noise the tap must learn (the
   * demo shows it). Off by default, so that the captured answers are served as they are.
   */
  public DemoBackends stampServedAt(boolean on) {
    this.stampServedAt = on;
    return this;
  }

  /** Starts the OLD (Python 2) or NEW (Python 3) backend on a free loopback port. */
  public Future<HttpServer> start(Vertx vertx, boolean newSide) {
    EndpointTemplater templater = new EndpointTemplater(List.of(), 10_000);
    return vertx.createHttpServer()
        .requestHandler(req -> req.body().onComplete(ar -> answer(req, templater, newSide)))
        .listen(0, "127.0.0.1");
  }

  /** Whether a captured answer is an uncompressed JSON object, which the demo stamps with {@code served_at}. */
  static boolean stampable(RecordedResponse r) {
    String type = String.valueOf(r.headers().get("Content-Type"));
    byte[] body = r.body();
    return type.contains("json") && r.headers().get("Content-Encoding") == null && body.length >= 2 && body[0] == '{';
  }

  /**
   * The JSON object body with a fresh {@code served_at} first, as many stacks stamp their answers: noise that
   * both stacks produce and the tap must learn, not count. Only pairs whose both answers are stampable get it.
   */
  static byte[] withServedAt(byte[] body) {
    String stamp = "\"served_at\": \"" + Instant.now() + "\"" + (isEmptyObject(body) ? "" : ", ");
    byte[] s = stamp.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[body.length + s.length];
    out[0] = '{';
    System.arraycopy(s, 0, out, 1, s.length);
    System.arraycopy(body, 1, out, 1 + s.length, body.length - 1);
    return out;
  }

  private static boolean isEmptyObject(byte[] body) {
    for (int i = 1; i < body.length; i++) {
      if (body[i] == '}') {
        return true;
      }
      if (body[i] != ' ' && body[i] != '\n' && body[i] != '\r' && body[i] != '\t') {
        return false;
      }
    }
    return false;
  }

  private void answer(HttpServerRequest req, EndpointTemplater templater, boolean newSide) {
    String method = req.method().name();
    Pair p = byTarget.get(method + " " + req.uri());
    if (p == null) {
      p = byEndpoint.get(templater.endpointOf(method, req.uri()));
    }
    if (p == null) {
      req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end("{\"error\": \"no such demo route: " + req.path().replace("\"", "") + "\"}");
      return;
    }
    RecordedResponse r = newSide ? p.neu() : p.old();
    var res = req.response().setStatusCode(r.status());
    for (Map.Entry<String, String> h : r.headers().entries()) {
      if (!DROPPED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        res.headers().add(h.getKey(), h.getValue());
      }
    }
    res.putHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    res.putHeader("X-Request-Id", UUID.randomUUID().toString());
    boolean stamp = stampServedAt && stampable(p.old()) && stampable(p.neu());
    res.end(Buffer.buffer(stamp ? withServedAt(r.body()) : r.body()));
  }
}
