package dev.shadowparity.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DynamicMessage;
import dev.shadowparity.ParityEngine;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.ledger.Outcome;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real gRPC backends (grpc-java, OLD and NEW of one service, on 127.0.0.1) called over real HTTP/2; each side's
 * answer (status, headers, framed body, trailers) captured as the tap would keep it, then judged by the engine: with a
 * descriptor set, with server reflection (OLD offers v1, NEW only v1alpha), and by field number.
 */
class GrpcComparisonTest {

  private static Server oldServer;
  private static Server newServer;
  private static Vertx vertx;
  private static H2Call toOld;
  private static H2Call toNew;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    oldServer = GrpcBackends.start(false, "v1");
    newServer = GrpcBackends.start(true, "v1alpha");
    vertx = Vertx.vertx();
    toOld = new H2Call(vertx, uri(oldServer), 10_000, 1 << 20);
    toNew = new H2Call(vertx, uri(newServer), 10_000, 1 << 20);
  }

  @AfterAll
  static void stop() throws Exception {
    toOld.close();
    toNew.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    GrpcBackends.stop(oldServer);
    GrpcBackends.stop(newServer);
  }

  private static URI uri(Server s) {
    return URI.create("http://127.0.0.1:" + s.getPort());
  }

  /** The same framed request to both backends, each answer recorded whole. */
  private static Exchange exchange(String method, List<DynamicMessage> requestMessages) throws Exception {
    List<byte[]> bytes = new ArrayList<>();
    requestMessages.forEach(m -> bytes.add(m.toByteArray()));
    byte[] body = GrpcFrames.frame(bytes);
    String path = "/shop.v1.Users/" + method;
    Map<String, String> headers = Map.of("content-type", "application/grpc", "te", "trailers");
    RecordedRequest request = new RecordedRequest("POST", path, Headers.of("content-type", "application/grpc", "te", "trailers"), body);
    return new Exchange(request, capture(toOld, path, headers, body), capture(toNew, path, headers, body));
  }

  private static RecordedResponse capture(H2Call call, String path, Map<String, String> headers, byte[] body) throws Exception {
    long start = System.nanoTime();
    H2Call.Answer a = call.post(path, headers, body).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return new RecordedResponse(a.status(), a.headers(), a.body(), System.nanoTime() - start, a.trailers());
  }

  private static Map<String, Difference> byField(Comparison c) {
    return c.differences().stream().collect(Collectors.toMap(Difference::field, d -> d, (x, y) -> x));
  }

  private static ParityEngine engine(String yaml) {
    ParityConfig config = yaml == null ? ParityConfig.DEFAULTS : ConfigLoader.parse(yaml, "test.yaml");
    return new ParityEngine(config);
  }

  private static Comparison compare(ParityEngine engine, Exchange x) {
    return engine.compare(x.request(), (RecordedResponse) x.oldResult(), (RecordedResponse) x.newResult(),
        engine.rulesFor(engine.endpointOf(x.request())));
  }

  @Test
  void aRealClientGetsBothVersionsAnswers() {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", oldServer.getPort()).usePlaintext().build();
    try {
      DynamicMessage answer = ClientCalls.blockingUnaryCall(channel, GrpcBackends.GET_USER,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), GrpcBackends.getRequest(1));
      DynamicMessage user = (DynamicMessage) answer.getField(GrpcBackends.GET_RESP.findFieldByName("user"));
      assertThat(user.getField(GrpcBackends.USER.findFieldByName("name"))).isEqualTo("Ada");
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void withADescriptorSetTheFieldTheEnumAndTheStatusAreFoundByName() throws Exception {
    Path pb = GrpcBackends.writeDescriptorSet(dir);
    ParityEngine engine = engine("grpc:\n  descriptors: [\"" + pb + "\"]\n  reflection: false\n");

    Exchange unary = exchange("GetUser", List.of(GrpcBackends.getRequest(1)));
    assertThat(engine.endpointOf(unary.request())).isEqualTo("grpc /shop.v1.Users/GetUser");
    Map<String, Difference> d = byField(compare(engine, unary));
    assertThat(d.keySet()).containsExactlyInAnyOrder("/user/name", "/user/status");
    assertThat(d.get("/user/name").oldValue()).isEqualTo("\"Ada\"");
    assertThat(d.get("/user/name").newValue()).isEqualTo("\"Ada Lovelace\"");
    assertThat(d.get("/user/status").oldValue()).isEqualTo("\"ACTIVE\"");
    assertThat(d.get("/user/status").newValue()).isEqualTo("\"SUSPENDED\"");

    Exchange failing = exchange("GetUser", List.of(GrpcBackends.getRequest(2)));
    Map<String, Difference> s = byField(compare(engine, failing));
    assertThat(s.keySet()).containsExactlyInAnyOrder("grpc-status", "grpc-message");
    assertThat(s.get("grpc-status").oldValue()).isEqualTo("5 NOT_FOUND");
    assertThat(s.get("grpc-status").newValue()).isEqualTo("13 INTERNAL");
    assertThat(s.get("grpc-message").newValue()).isEqualTo("lookup failed: 100% broken"); // percent-decoded

    Exchange stream = exchange("ListUsers", List.of(GrpcBackends.listRequest(3)));
    Comparison streamed = compare(engine, stream);
    assertThat(streamed.differences()).singleElement().satisfies(x -> {
      assertThat(x.field()).isEqualTo("/*/status");
      assertThat(x.path()).isEqualTo("/1/status");
      assertThat(x.oldValue()).isEqualTo("\"ACTIVE\"");
    });

    Exchange same = exchange("ListUsers", List.of(GrpcBackends.listRequest(1)));
    assertThat(compare(engine, same).match()).isTrue();

    // recorded through the one path: a mismatch of the endpoint, and a client stream skipped
    Outcome o = engine.process(unary);
    assertThat(o.endpoint()).isEqualTo("grpc /shop.v1.Users/GetUser");
    assertThat(o.kind()).isEqualTo(Outcome.Kind.MISMATCH);
    dev.shadowparity.report.EndpointReport report = engine.report().endpoint("grpc /shop.v1.Users/GetUser");
    assertThat(report.fields()).extracting(f -> f.field()).containsExactlyInAnyOrder("/user/name", "/user/status");
    // the sample shows the messages as JSON, and the request by field number
    dev.shadowparity.report.Sample sample = report.samples().get(0);
    assertThat(sample.old().body()).contains("\"status\":\"ACTIVE\"");
    assertThat(sample.request().body()).contains("{\"1\":1}");
    Exchange upload = exchange("Upload", List.of(GrpcBackends.user("a", 1, "ACTIVE", 1), GrpcBackends.user("b", 2, "ACTIVE", 2)));
    Outcome skipped = engine.process(upload);
    assertThat(skipped.kind()).isEqualTo(Outcome.Kind.SKIPPED);
    assertThat(skipped.reason()).isEqualTo("grpc-client-stream");
  }

  @Test
  void withoutDescriptorsServerReflectionOfEachBackendNamesTheFields() {
    ParityEngine engine = engine(null);
    try (GrpcReflection old = new GrpcReflection(vertx, uri(oldServer), 10_000);
        GrpcReflection neu = new GrpcReflection(vertx, uri(newServer), 10_000)) {
      engine.grpcSchemas().reflectOn(old, neu);
      Exchange unary = exchange("GetUser", List.of(GrpcBackends.getRequest(1)));
      assertThat(byField(compare(engine, unary)).keySet()).containsExactlyInAnyOrder("/user/name", "/user/status");
      Exchange stream = exchange("ListUsers", List.of(GrpcBackends.listRequest(3)));
      assertThat(compare(engine, stream).differences()).extracting(Difference::path).containsExactly("/1/status");
      // OLD answers v1, NEW only v1alpha: both were asked and gave the service
      assertThat(old.service("shop.v1.Users")).isNotNull();
      assertThat(neu.service("shop.v1.Users")).isNotNull();
      assertThat(neu.service("shop.v1.Nothing")).isNull();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void whenOnlyOneBackendAnswersReflectionItsTypesReadBoth() throws Exception {
    Server bare = GrpcBackends.start(true, "none");
    ParityEngine engine = engine(null);
    try (GrpcReflection old = new GrpcReflection(vertx, uri(oldServer), 10_000);
        GrpcReflection neu = new GrpcReflection(vertx, uri(bare), 10_000)) {
      engine.grpcSchemas().reflectOn(old, neu);
      Exchange unary = exchange("GetUser", List.of(GrpcBackends.getRequest(1)));
      assertThat(byField(compare(engine, unary)).keySet()).containsExactlyInAnyOrder("/user/name", "/user/status");
      assertThat(neu.service("shop.v1.Users")).isNull();
    } finally {
      GrpcBackends.stop(bare);
    }
  }

  @Test
  void withNeitherTheRawWireFormIsComparedByFieldNumber() throws Exception {
    ParityEngine engine = engine("grpc:\n  reflection: false\n");
    Exchange unary = exchange("GetUser", List.of(GrpcBackends.getRequest(1)));
    Map<String, Difference> d = byField(compare(engine, unary));
    assertThat(d.keySet()).containsExactlyInAnyOrder("/1/1", "/1/3");
    assertThat(d.get("/1/1").newValue()).isEqualTo("\"Ada Lovelace\"");
    assertThat(d.get("/1/3").oldValue()).isEqualTo("1");
    assertThat(d.get("/1/3").newValue()).isEqualTo("2");
    Exchange stream = exchange("ListUsers", List.of(GrpcBackends.listRequest(3)));
    assertThat(compare(engine, stream).differences()).extracting(Difference::path).containsExactly("/1/3");
  }
}
