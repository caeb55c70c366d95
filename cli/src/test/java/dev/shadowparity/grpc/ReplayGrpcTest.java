package dev.shadowparity.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.cli.ParityMain;
import dev.shadowparity.demo.GrpcDemoBackends;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture of gRPC calls made over HTTP/2 is replayed against two live gRPC backends (the demo's OLD and NEW, real
 * HTTP/2 servers on loopback): the calls go over HTTP/2, the messages are read with the descriptor set and the
 * differences are found at their fields and statuses, unary and server-streaming.
 */
class ReplayGrpcTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void grpcCapture_replayedOverHttp2_findsTheFieldsAndStatusesThatDiffer() throws Exception {
    GrpcDemoBackends demo = new GrpcDemoBackends();
    HttpServer old = demo.start(vertx, false).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    HttpServer neu = demo.start(vertx, true).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Path descriptors = demo.writeDescriptorSet(dir);
    Path config = dir.resolve("parity.yaml");
    Files.writeString(config, "grpc:\n  descriptors: ['" + descriptors.toString().replace("'", "''") + "']\n  reflection: false\n");
    List<String> lines = new ArrayList<>();
    for (long id : new long[] {1, 2, 3, 4, 6, 8, 404}) {
      lines.add(record(GrpcDemoBackends.GET_ITEM, demo.getItem(id).getBytes()));
    }
    lines.add(record(GrpcDemoBackends.LIST_ITEMS, demo.listItems(8).getBytes()));
    Path capture = dir.resolve("grpc.ndjson");
    Files.write(capture, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    Path json = dir.resolve("report.json");

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ParityMain.run(new PrintWriter(out, true), new PrintWriter(err, true), "replay", capture.toString(),
        "--old", "http://127.0.0.1:" + old.actualPort(), "--new", "http://127.0.0.1:" + neu.actualPort(),
        "--config", config.toString(), "--allow-unsafe", "--json", json.toString(), "--fail-on", "never");
    assertThat(exit).as(out + "\n" + err).isZero();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.at("/input/http2").asLong()).isEqualTo(8);
    JsonNode get = endpoint(report, "grpc " + GrpcDemoBackends.GET_ITEM);
    assertThat(get.path("compared").asLong()).isEqualTo(7);
    // item 3: the price; items 6 and 8: the stock state; item 404: the status and its message
    assertThat(get.path("mismatched").asLong()).isEqualTo(4);
    assertThat(fields(get)).contains("/price_cents", "/stock", "grpc-status", "grpc-message");
    JsonNode list = endpoint(report, "grpc " + GrpcDemoBackends.LIST_ITEMS);
    assertThat(list.path("mismatched").asLong()).isEqualTo(1);
    assertThat(fields(list)).contains("/*/stock", "/*/price_cents");
  }

  private static String record(String path, byte[] framed) {
    return "{\"ts\":\"2026-12-06T07:00:00Z\",\"request\":{\"method\":\"POST\",\"uri\":\"" + path + "\",\"protocol\":\"HTTP/2\","
        + "\"headers\":[[\"content-type\",\"application/grpc\"],[\"te\",\"trailers\"]],\"bodyBase64\":\""
        + Base64.getEncoder().encodeToString(framed) + "\"}}";
  }

  private static JsonNode endpoint(JsonNode report, String name) {
    for (JsonNode e : report.path("endpoints")) {
      if (e.path("endpoint").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no endpoint " + name + " in " + report.path("endpoints"));
  }

  private static List<String> fields(JsonNode endpoint) {
    List<String> names = new ArrayList<>();
    endpoint.path("fields").forEach(f -> names.add(f.path("field").asText()));
    return names;
  }
}
