package dev.shadowparity.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.EvidenceListener;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures carry HTTP/2 and trailers, and replay sends them again: a gRPC call recorded over HTTP/2 goes to NEW over
 * HTTP/2 (prior knowledge to an http:// backend) and NEW's trailers are recorded; OLD's recorded trailers are read
 * back; a REST request recorded over HTTP/2 goes to an http:// backend over HTTP/1.1.
 */
class ReplayHttp2Test {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void grpcRecordedOverHttp2_isSentOverHttp2_withTrailers_restRecordedOverHttp2_staysHttp1() throws Exception {
    Map<String, HttpVersion> seen = new ConcurrentHashMap<>();
    // a gRPC-like message: uncompressed flag, length 2, field 1 = 7
    byte[] message = {0, 0, 0, 0, 2, 0x08, 0x07};
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
        .requestHandler(req -> req.body().onSuccess(body -> {
          seen.put(req.path(), req.version());
          if (req.path().startsWith("/shop.Catalog/")) {
            req.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0")
                .putTrailer("grpc-message", "").end(Buffer.buffer(message));
          } else {
            req.response().putHeader("content-type", "application/json").end("{\"id\":7}");
          }
        }))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String b64 = Base64.getEncoder().encodeToString(message);
    Path capture = dir.resolve("capture.ndjson");
    Files.writeString(capture, String.join("\n",
        "{\"ts\":\"2026-12-06T07:00:00Z\",\"endpoint\":\"grpc /shop.Catalog/Get\",\"request\":{\"method\":\"POST\","
            + "\"uri\":\"/shop.Catalog/Get\",\"protocol\":\"HTTP/2\",\"headers\":[[\"content-type\",\"application/grpc\"],"
            + "[\"te\",\"trailers\"]],\"bodyBase64\":\"" + b64 + "\"},\"old\":{\"status\":200,\"headers\":[[\"content-type\","
            + "\"application/grpc\"]],\"bodyBase64\":\"" + b64 + "\",\"trailers\":[[\"grpc-status\",\"0\"],[\"grpc-message\",\"\"]]}}",
        "{\"ts\":\"2026-12-06T07:00:01Z\",\"endpoint\":\"GET /api/items/{id}\",\"request\":{\"method\":\"GET\","
            + "\"uri\":\"/api/items/7\",\"protocol\":\"HTTP/2\",\"headers\":[]},\"old\":{\"status\":200,\"headers\":"
            + "[[\"content-type\",\"application/json\"]],\"body\":\"{\\\"id\\\":7}\"}}",
        ""), StandardCharsets.UTF_8);

    ParityEngine engine = new ParityEngine(ConfigLoader.parse("", "test.yaml"));
    List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    engine.addListener(new EvidenceListener() {
      @Override
      public void recorded(Outcome outcome, Exchange exchange) {
        if (exchange != null) {
          exchanges.add(exchange);
        }
      }
    });
    ReplayOptions options = new ReplayOptions().setNewUrl("http://127.0.0.1:" + server.actualPort()).setAllowUnsafe(true);
    ReplayResult result = new Replayer(engine, options, ReplayListener.NONE).run(List.of(capture));

    assertThat(result.input().sent()).isEqualTo(2);
    assertThat(result.input().http2()).isEqualTo(1);
    assertThat(seen).containsEntry("/shop.Catalog/Get", HttpVersion.HTTP_2).containsEntry("/api/items/7", HttpVersion.HTTP_1_1);
    Exchange grpc = exchanges.stream().filter(e -> e.request().uri().startsWith("/shop")).findFirst().orElseThrow();
    assertThat(grpc.request().http2()).isTrue();
    assertThat(((RecordedResponse) grpc.oldResult()).trailers().get("grpc-status")).isEqualTo("0");
    assertThat(((RecordedResponse) grpc.newResult()).trailers().get("grpc-status")).isEqualTo("0");
    assertThat(((RecordedResponse) grpc.newResult()).body()).isEqualTo(message);
    assertThat(result.report().totals().compared()).isEqualTo(2);
  }
}
