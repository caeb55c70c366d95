package dev.shadowparity.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A browser's HAR, as Chromium writes one, replayed against NEW alone: bodies it did not keep, a revalidation it
 * recorded as the cached 200, requests it never completed and requests to other hosts make no false mismatch.
 */
class ReplayHarOdditiesTest {

  @TempDir
  Path dir;

  WireMockServer neu;

  @BeforeEach
  void start() {
    neu = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    neu.start();
    neu.stubFor(get(urlEqualTo("/")).willReturn(aResponse().withHeader("Content-Type", "text/html").withBody("<h1>home</h1>")));
    neu.stubFor(get(urlEqualTo("/old-home")).willReturn(aResponse().withStatus(301).withHeader("Location", "/")
        .withHeader("Content-Type", "text/html").withBody("<a href=\"/\">moved</a> (NEW words it otherwise)")));
    neu.stubFor(get(urlEqualTo("/api/articles/1")).willReturn(aResponse().withHeader("Content-Type", "application/json")
        .withBody("{\"id\":1,\"title\":\"hello\"}")));
    neu.stubFor(head(urlEqualTo("/api/articles/1")).willReturn(aResponse().withHeader("Content-Type", "application/json")));
    neu.stubFor(get(urlEqualTo("/api/missing")).willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"not found here\"}")));
    neu.stubFor(get(urlEqualTo("/style.css")).withHeader("If-None-Match", absent()).willReturn(aResponse()
        .withHeader("Content-Type", "text/css").withHeader("ETag", "\"v1\"").withBody("body{color:red}")));
    neu.stubFor(get(urlEqualTo("/style.css")).withHeader("If-None-Match", equalTo("\"v1\"")).willReturn(aResponse()
        .withStatus(304).withHeader("ETag", "\"v1\"")));
  }

  @AfterEach
  void stop() {
    neu.stop();
  }

  private static String entry(String method, String url, String requestHeaders, String response) {
    return "{\"startedDateTime\":\"2026-12-06T04:00:00.000Z\",\"request\":{\"method\":\"" + method + "\",\"url\":\"" + url
        + "\",\"headers\":[" + requestHeaders + "]},\"response\":" + response + "}";
  }

  private static String response(int status, String headers, String content) {
    return "{\"status\":" + status + ",\"headers\":[" + headers + "],\"content\":" + content + "}";
  }

  private static final String SITE = "http://127.0.0.1:8001";

  private Path har() throws Exception {
    String json = "[\"Content-Type\",\"application/json\"]";
    String[] entries = {
        entry("GET", SITE + "/", "", response(200, "{\"name\":\"Content-Type\",\"value\":\"text/html\"}",
            "{\"size\":13,\"mimeType\":\"text/html\",\"text\":\"<h1>home</h1>\"}")),
        // a redirect: Chromium keeps no body (size -1); NEW's words differ, its status and Location do not
        entry("GET", SITE + "/old-home", "", response(301, "{\"name\":\"Location\",\"value\":\"/\"},"
            + "{\"name\":\"Content-Type\",\"value\":\"text/html\"}", "{\"size\":-1,\"mimeType\":\"text/html\"}")),
        entry("GET", SITE + "/api/articles/1", "", response(200, "{\"name\":\"Content-Type\",\"value\":\"application/json\"}",
            "{\"size\":24,\"mimeType\":\"application/json\",\"text\":\"{\\\"id\\\":1,\\\"title\\\":\\\"hello\\\"}\"}")),
        entry("HEAD", SITE + "/api/articles/1", "", response(200, "{\"name\":\"Content-Type\",\"value\":\"application/json\"}",
            "{\"size\":-1,\"mimeType\":\"application/json\"}")),
        // a 404 whose body the browser did not keep
        entry("GET", SITE + "/api/missing", "", response(404, "{\"name\":\"Content-Type\",\"value\":\"application/json\"}",
            "{\"size\":-1,\"mimeType\":\"application/json\"}")),
        // a revalidation: the request carries If-None-Match, the browser recorded the 200 it served from its cache,
        // with the 304's headers (no Content-Type) and nothing over the wire (bodySize 0), as Chromium does
        entry("GET", SITE + "/style.css", "{\"name\":\"If-None-Match\",\"value\":\"\\\"v1\\\"\"}",
            "{\"status\":200,\"bodySize\":0,\"headers\":[{\"name\":\"ETag\",\"value\":\"\\\"v1\\\"\"}],"
                + "\"content\":{\"size\":14,\"mimeType\":\"text/css\",\"text\":\"body{color:red}\"}}"),
        // never completed: Playwright's form (status -1, _failureText) and DevTools' (status 0, _error)
        entry("GET", SITE + "/api/slow", "", "{\"status\":-1,\"headers\":[],\"content\":{\"size\":-1},"
            + "\"_failureText\":\"net::ERR_ABORTED\"}"),
        entry("GET", "http://parity-unresolvable.invalid/x.js", "", "{\"status\":0,\"headers\":[],\"content\":{\"size\":0},"
            + "\"_error\":\"net::ERR_NAME_NOT_RESOLVED\"}"),
        // other hosts: a font and analytics
        entry("GET", "http://fonts.example/font.woff2", "", response(200, "", "{\"size\":3,\"mimeType\":\"font/woff2\","
            + "\"text\":\"AAA\",\"encoding\":\"base64\"}")),
        entry("GET", "https://analytics.example/collect?v=1", "", response(204, "", "{\"size\":0}")),
    };
    Path har = dir.resolve("site.har");
    Files.writeString(har, "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"test\",\"version\":\"1\"},\"entries\":["
        + String.join(",", entries) + "]}}");
    assertThat(json).isNotEmpty();
    // WireMock stamps each answer with the stub it matched
    Files.writeString(dir.resolve("parity.yaml"), "rules:\n  ignore-headers: [matched-stub-id]\n");
    return har;
  }

  @Test
  void noFalseMismatch_andWhatWasNotComparedIsCountedBySaying() throws Exception {
    Path out = dir.resolve("r.json");
    CompareCommandTest.Run r = CompareCommandTest.run("replay", har().toString(), "--config", dir.resolve("parity.yaml").toString(), "--new", "http://127.0.0.1:" + neu.port(),
        "--json", out.toString(), "--progress", "none");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(0);
    JsonNode doc = new ObjectMapper().readTree(out.toFile());
    assertThat(doc.at("/totals/mismatched").asLong()).as(r.out()).isZero();
    assertThat(doc.at("/totals/compared").asLong()).isEqualTo(6);
    assertThat(doc.at("/input/corrupt").asLong()).isZero();
    assertThat(doc.at("/input/ignored/not completed: aborted").asLong()).isEqualTo(1);
    assertThat(doc.at("/input/ignored/not completed: unresolved").asLong()).isEqualTo(1);
    assertThat(doc.at("/input/ignored/other-host").asLong()).isEqualTo(2);
    assertThat(doc.at("/input/otherHosts/fonts.example").asLong()).isEqualTo(1);
    assertThat(doc.at("/input/unconditioned").asLong()).isEqualTo(1);
    assertThat(doc.at("/input/files/0/hosts/0").asText()).isEqualTo("127.0.0.1:8001");
    assertThat(doc.at("/input/files/0/hostChosen").asBoolean()).isTrue();
    long notRecorded = 0;
    for (JsonNode e : doc.get("endpoints")) {
      notRecorded += e.path("partsNotCompared").path("body: not recorded").asLong();
    }
    assertThat(notRecorded).as("the redirect and the 404; the HEAD has no body to record").isEqualTo(2);
    assertThat(r.out()).contains("site.har: replayed only the requests to host 127.0.0.1:8001 (the host most of them went to")
        .contains("1 recorded revalidations").contains("2 answers compared on status and headers only")
        .contains("2 other-host").contains("other hosts: analytics.example 1, fonts.example 1");
  }

  @Test
  void aChosenHost_replaysOnlyIt() throws Exception {
    CompareCommandTest.Run r = CompareCommandTest.run("replay", har().toString(), "--config", dir.resolve("parity.yaml").toString(), "--new", "http://127.0.0.1:" + neu.port(),
        "--host", "fonts.example", "--progress", "none", "--fail-on", "never", "--json", dir.resolve("f.json").toString());
    JsonNode doc = new ObjectMapper().readTree(dir.resolve("f.json").toFile());
    assertThat(doc.at("/input/sent").asLong()).isEqualTo(1);
    assertThat(doc.at("/input/ignored/other-host").asLong()).isEqualTo(7);
    assertThat(doc.at("/input/files/0/hostChosen").asBoolean()).isFalse();
    assertThat(r.exit()).as(r.err()).isIn(0, 1);
  }

  @Test
  void newUnreachable_saysSoInOneLine_andExits2() throws Exception {
    CompareCommandTest.Run r = CompareCommandTest.run("replay", har().toString(), "--config", dir.resolve("parity.yaml").toString(), "--new", "http://127.0.0.1:1",
        "--progress", "none");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("INPUT ERRORS: NEW http://127.0.0.1:1: could not connect (refused or unreachable) for all "
        + "6 requests; nothing was compared.").containsPattern("errors: new:connect ×\\d");
  }

  @Test
  void newUnreachable_theReportsSayNothingWasJudged_andTheUrlShowsNoSecret() throws Exception {
    Path md = dir.resolve("r.md");
    Path json = dir.resolve("r.json");
    CompareCommandTest.Run r = CompareCommandTest.run("replay", har().toString(), "--new",
        "http://admin:s3cr3t@127.0.0.1:1/base?token=abc", "--progress", "none", "--fail-on", "never", "--markdown",
        md.toString(), "--json", json.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("NEW http://127.0.0.1:1/base: could not connect").doesNotContain("s3cr3t")
        .doesNotContain("token=abc");
    assertThat(Files.readString(md)).contains("nothing judged").doesNotContain("no endpoint fails");
    assertThat(new ObjectMapper().readTree(json.toFile()).path("notJudged").asText()).contains("nothing was compared");
  }

  /**
   * A capture whose OLD really answered 200 to a conditional request (a tap's NDJSON) is replayed with its conditional
   * headers: a NEW answering 304 there is a real difference, never hidden.
   */
  @Test
  void aConditionalRequestOldReallyAnswered_keepsItsHeaders() throws Exception {
    Path capture = dir.resolve("c.ndjson");
    Files.writeString(capture, "{\"request\":{\"method\":\"GET\",\"uri\":\"/style.css\",\"headers\":[[\"If-None-Match\","
        + "\"\\\"v1\\\"\"]]},\"old\":{\"status\":200,\"headers\":[[\"Content-Type\",\"text/css\"],[\"ETag\",\"\\\"v1\\\"\"]],"
        + "\"body\":\"body{color:red}\"}}\n");
    har(); // writes the config
    Path json = dir.resolve("c.json");
    CompareCommandTest.Run r = CompareCommandTest.run("replay", capture.toString(), "--config",
        dir.resolve("parity.yaml").toString(), "--new", "http://127.0.0.1:" + neu.port(), "--progress", "none",
        "--fail-on", "never", "--json", json.toString());
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertThat(doc.at("/input/unconditioned").asLong()).isZero();
    assertThat(doc.at("/totals/mismatched").asLong()).as(r.out()).isEqualTo(1);
  }
}
