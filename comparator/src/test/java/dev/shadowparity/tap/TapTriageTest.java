package dev.shadowparity.tap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.baseline.Baseline;
import dev.shadowparity.engine.Cause;
import dev.shadowparity.report.BaselineUse;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Sample;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Triage with real backends: writes that reached OLD only, accepted differences, query shapes. */
class TapTriageTest {

  private final TapHarness h = new TapHarness();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    h.close();
  }

  /** A tiny users API with its own data: GET one, GET the list, PUT one (the body is the new name). */
  private static Handler<HttpServerRequest> usersApi(String cors) {
    Map<String, String> names = new ConcurrentHashMap<>(Map.of("1", "Ada", "2", "Grace", "3", "Edsger"));
    return req -> {
      req.response().putHeader("Content-Type", "application/json");
      if (cors != null) {
        req.response().putHeader("Access-Control-Allow-Origin", cors);
      }
      String path = req.path();
      if (path.equals("/api/users")) {
        StringBuilder b = new StringBuilder("[");
        new java.util.TreeMap<>(names).forEach((id, n) -> b.append(b.length() > 1 ? "," : "").append("{\"id\":").append(id)
            .append(",\"name\":\"").append(n).append("\"}"));
        req.response().end(b.append(']').toString());
        return;
      }
      String id = path.substring(path.lastIndexOf('/') + 1);
      if (req.method() == HttpMethod.PUT) {
        req.body().onSuccess(body -> {
          names.put(id, body.toString());
          req.response().setStatusCode(204).end();
        });
        return;
      }
      String name = names.get(id);
      if (name == null) {
        req.response().setStatusCode(404).end("{\"error\":\"no such user\"}");
      } else {
        req.response().end("{\"id\":" + id + ",\"name\":\"" + name + "\"}");
      }
    };
  }

  private HttpResponse<byte[]> put(String path, String body) throws Exception {
    return h.send(HttpRequest.newBuilder(h.proxy(path)).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void aPutThenAGet_givesWriteNotMirrored_withTheWriteInTheSample() throws Exception {
    h.old(usersApi(null)).neu(usersApi(null)).tap("");
    h.get("/api/users/1");
    h.get("/api/users/2");
    assertThat(put("/api/users/2", "Grace Hopper").statusCode()).isEqualTo(204);
    h.get("/api/users/2"); // OLD has the new name, NEW the old one
    h.get("/api/users"); // the list holds it too
    h.get("/api/users/3"); // untouched: still equal
    EndpointReport one = h.awaitEndpoint("GET /api/users/{id}", x -> x.compared() == 4);
    assertThat(one.mismatched()).isEqualTo(1);
    assertThat(one.causes()).containsOnlyKeys(Cause.WRITE_NOT_MIRRORED.wireName());
    assertThat(one.fields()).singleElement().satisfies(f -> {
      assertThat(f.field()).isEqualTo("/name");
      assertThat(f.cause()).isEqualTo(Cause.WRITE_NOT_MIRRORED);
    });
    Sample s = one.samples().get(0);
    assertThat(s.write()).startsWith("PUT /api/users/2 (OLD answered 204)").endsWith("reached OLD only");
    EndpointReport list = h.awaitEndpoint("GET /api/users", x -> x.compared() == 1);
    assertThat(list.causes()).containsOnlyKeys(Cause.WRITE_NOT_MIRRORED.wireName());
    assertThat(h.tap.engine().ledger().report().endpoint("PUT /api/users/{id}").skipped()).containsEntry("unsafe-method", 1L);
  }

  @Test
  void aWriteOldRefused_explainsNothing() throws Exception {
    Handler<HttpServerRequest> refusing = req -> {
      if (req.method() == HttpMethod.PUT) {
        req.response().setStatusCode(403).end();
      } else {
        req.response().putHeader("Content-Type", "application/json").end("{\"v\":1}");
      }
    };
    h.old(refusing).neu(req -> req.response().putHeader("Content-Type", "application/json").end("{\"v\":2}")).tap("");
    put("/api/things/9", "x");
    h.get("/api/things/9");
    EndpointReport e = h.awaitEndpoint("GET /api/things/{id}", x -> x.compared() == 1);
    assertThat(e.mismatched()).isEqualTo(1);
    assertThat(e.causes()).isEmpty();
  }

  @Test
  void theAdminPageAcceptsADifference_intoTheBaselineFile_withAToken_andItAppliesAtOnce() throws Exception {
    Path file = dir.resolve("parity-baseline.yaml");
    h.old(usersApi("https://app.example")).neu(usersApi("*"));
    h.tap = TapHarness.await(Tap.start(h.vertx, dev.shadowparity.config.ConfigLoader.parse("", "t"),
        dev.shadowparity.config.ConfigLoader.parseTap("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: " + h.oldUrl()
            + "\nnew: " + h.newUrl() + "\nadmin-token: s3cret\n", "t"), Baseline.load(file)));
    for (int i = 1; i <= 3; i++) {
      h.get("/api/users/" + i);
    }
    EndpointReport before = h.awaitEndpoint("GET /api/users/{id}", x -> x.compared() == 3);
    assertThat(before.mismatched()).isEqualTo(3);

    String entry = "{\"field\":\"header:access-control-allow-origin\",\"kind\":\"value\",\"new\":\"*\","
        + "\"reason\":\"blanket CORS policy, SEC-112\",\"by\":\"alice\"}";
    HttpResponse<String> refused = h.client.send(HttpRequest.newBuilder(h.admin("/api/accept"))
        .POST(HttpRequest.BodyPublishers.ofString(entry)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    HttpResponse<String> ok = h.client.send(HttpRequest.newBuilder(h.admin("/api/accept")).header("Authorization", "Bearer s3cret")
        .POST(HttpRequest.BodyPublishers.ofString(entry)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(Files.readString(file)).contains("header:access-control-allow-origin").contains("alice").contains("SEC-112");
    HttpResponse<String> again = h.client.send(HttpRequest.newBuilder(h.admin("/api/accept")).header("Authorization", "Bearer s3cret")
        .POST(HttpRequest.BodyPublishers.ofString(entry)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(409);

    for (int i = 1; i <= 3; i++) {
      h.get("/api/users/" + i);
    }
    EndpointReport after = h.awaitEndpoint("GET /api/users/{id}", x -> x.compared() == 6);
    assertThat(after.mismatched()).as("the three before the entry stay as recorded").isEqualTo(3);
    assertThat(after.accepted()).isEqualTo(3);
    JsonNode report = new ObjectMapper().readTree(h.client.send(HttpRequest.newBuilder(h.admin("/api/report"))
        .header("Authorization", "Bearer s3cret").GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(report.at("/baseline/0/state").asText()).isEqualTo(BaselineUse.IN_USE);
    assertThat(report.at("/baseline/0/accepted").asLong()).isEqualTo(3);
    assertThat(report.at("/totals/accepted").asLong()).isEqualTo(3);
  }

  @Test
  void withoutAToken_thePageCannotAccept() throws Exception {
    h.old(usersApi(null)).neu(usersApi(null));
    h.tap = TapHarness.await(Tap.start(h.vertx, dev.shadowparity.config.ConfigLoader.parse("", "t"),
        dev.shadowparity.config.ConfigLoader.parseTap("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nold: " + h.oldUrl()
            + "\nnew: " + h.newUrl() + "\n", "t"), Baseline.load(dir.resolve("b.yaml"))));
    HttpResponse<String> r = h.client.send(HttpRequest.newBuilder(h.admin("/api/accept"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"field\":\"/x\",\"reason\":\"r\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Files.exists(dir.resolve("b.yaml"))).isFalse();
  }

  @Test
  void queryShapes_sayWhichFeatureBroke() throws Exception {
    Handler<HttpServerRequest> posts = req -> req.response().putHeader("Content-Type", "application/json")
        .end("[{\"id\":1,\"title\":\"hello\"}]");
    // NEW's search (q) returns ids as strings; paging and sorting are fine
    Handler<HttpServerRequest> newPosts = req -> req.response().putHeader("Content-Type", "application/json")
        .end(req.getParam("q") != null ? "[{\"id\":\"1\",\"title\":\"hello\"}]" : "[{\"id\":1,\"title\":\"hello\"}]");
    h.old(posts).neu(newPosts).tap("");
    for (int i = 0; i < 3; i++) {
      h.get("/posts?q=hel" + i);
      h.get("/posts?_page=" + i);
      h.get("/posts?_order=desc&_sort=id");
      h.get("/posts");
    }
    EndpointReport e = h.awaitEndpoint("GET /posts", x -> x.compared() == 12);
    assertThat(e.queryShapes()).first().satisfies(q -> {
      assertThat(q.shape()).isEqualTo("?q");
      assertThat(q.mismatched()).isEqualTo(3);
      assertThat(q.compared()).isEqualTo(3);
    });
    assertThat(e.queryShapes()).extracting(EndpointReport.QueryShapeCount::shape)
        .containsExactlyInAnyOrder("?q", "?_page", "?_order&_sort", "");
    assertThat(e.queryShapes()).filteredOn(q -> !q.shape().equals("?q")).allSatisfy(q -> assertThat(q.mismatched()).isZero());
  }
}
