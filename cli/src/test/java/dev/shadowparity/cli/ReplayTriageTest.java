package dev.shadowparity.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
 * A capture replayed against NEW alone: the recorded OLD answers saw the writes of the capture, NEW never gets them,
 * so a read after a write is explained as such; and a baseline accepts one difference.
 */
class ReplayTriageTest {

  @TempDir
  Path dir;

  WireMockServer neu;

  @BeforeEach
  void start() {
    neu = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    neu.start();
    for (String[] u : new String[][] {{"1", "Ada"}, {"2", "Grace"}}) {
      neu.stubFor(get(urlEqualTo("/api/users/" + u[0])).willReturn(aResponse().withHeader("Content-Type", "application/json")
          .withHeader("X-Api-Version", "2").withBody("{\"id\":" + u[0] + ",\"name\":\"" + u[1] + "\"}")));
    }
  }

  @AfterEach
  void stop() {
    neu.stop();
  }

  private static String line(String method, String uri, int status, String body) {
    return "{\"request\":{\"method\":\"" + method + "\",\"uri\":\"" + uri + "\"},\"old\":{\"status\":" + status
        + ",\"headers\":[[\"Content-Type\",\"application/json\"],[\"X-Api-Version\",\"1\"]],\"body\":" + body + "}}\n";
  }

  @Test
  void aReadAfterAWriteTheCaptureHeld_isWriteNotMirrored_andTheBaselineAcceptsTheVersionHeader() throws Exception {
    Path capture = dir.resolve("capture.ndjson");
    Files.writeString(capture, line("GET", "/api/users/2", 200, "\"{\\\"id\\\":2,\\\"name\\\":\\\"Grace\\\"}\"")
        + line("GET", "/api/users/1", 200, "\"{\\\"id\\\":1,\\\"name\\\":\\\"Ada\\\"}\"")
        + line("PUT", "/api/users/2", 204, "\"\"")
        + line("GET", "/api/users/2", 200, "\"{\\\"id\\\":2,\\\"name\\\":\\\"Grace Hopper\\\"}\"")
        + line("GET", "/api/users/1", 200, "\"{\\\"id\\\":1,\\\"name\\\":\\\"Ada\\\"}\""));
    Path baseline = dir.resolve("parity-baseline.yaml");
    Files.writeString(baseline, "accepted:\n  - field: header:x-api-version\n    kind: value\n    old: \"1\"\n    new: \"2\"\n"
        + "    reason: NEW is API version 2\n    by: alice\n");
    Path config = dir.resolve("parity.yaml");
    Files.writeString(config, "rules:\n  ignore-headers: [matched-stub-id]\n");
    Path json = dir.resolve("report.json");
    ReplayCommandTest.Run r = ReplayCommandTest.run("replay", capture.toString(), "--new", "http://127.0.0.1:" + neu.port(),
        "--config", config.toString(), "--baseline", baseline.toString(), "--concurrency", "4", "--json", json.toString(),
        "--progress", "none", "--fail-on", "never");
    assertThat(r.exit()).as(r.err()).isEqualTo(0);
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    JsonNode users = null;
    for (JsonNode e : doc.get("endpoints")) {
      if (e.get("endpoint").asText().equals("GET /api/users/{id}")) {
        users = e;
      }
    }
    assertThat(users).isNotNull();
    assertThat(users.get("compared").asLong()).isEqualTo(4);
    assertThat(users.get("mismatched").asLong()).as("the read after the write").isEqualTo(1);
    assertThat(users.get("accepted").asLong()).as("the version header alone, accepted").isEqualTo(3);
    assertThat(users.at("/causes/write-not-mirrored").asLong()).isEqualTo(1);
    assertThat(users.at("/fields/0/field").asText()).isEqualTo("/name");
    assertThat(users.at("/samples/0/write").asText()).startsWith("PUT /api/users/2 (OLD answered 204)");
    assertThat(doc.at("/baseline/0/state").asText()).isEqualTo("in-use");
    assertThat(doc.at("/baseline/0/accepted").asLong()).isEqualTo(4);
    assertThat(r.out()).contains("in-use     header:x-api-version (value) on every endpoint: 4 exchanges accepted");
  }
}
