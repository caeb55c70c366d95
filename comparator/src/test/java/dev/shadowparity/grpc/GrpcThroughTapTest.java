package dev.shadowparity.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.DynamicMessage;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.tap.Tap;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gRPC client calling through the tap, OLD and NEW real gRPC servers behind it (issue 21's gRPC test): the
 * client speaks h2c with prior knowledge to the tap, and the tap reaches both backends with {@code protocol: h2c}.
 */
class GrpcThroughTapTest {

  private Server oldServer;
  private Server newServer;
  private Vertx vertx;
  private Tap tap;
  private ManagedChannel channel;

  @TempDir
  Path dir;

  @BeforeEach
  void backends() throws Exception {
    oldServer = GrpcBackends.start(false, "v1");
    newServer = GrpcBackends.start(true, "v1alpha");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (tap != null) {
      tap.shutdown(0).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    GrpcBackends.stop(oldServer);
    GrpcBackends.stop(newServer);
  }

  private void tap(String grpcBlock) throws Exception {
    String yaml = String.join("\n",
        "listen: 127.0.0.1:0",
        "admin: 127.0.0.1:0",
        "old: http://127.0.0.1:" + oldServer.getPort(),
        "new: http://127.0.0.1:" + newServer.getPort(),
        "protocol: h2c",
        "store: {file: none}",
        "endpoints:",
        "  \"grpc /shop.v1.Users/GetUser\": {mirror-methods: [POST]}",
        "  \"grpc /shop.v1.Users/ListUsers\": {mirror-methods: [POST]}",
        "  \"grpc /shop.v1.Users/Upload\": {mirror-methods: [POST]}",
        grpcBlock,
        "");
    tap = Tap.start(vertx, ConfigLoader.parse(yaml, "test.yaml"), ConfigLoader.parseTap(yaml, "test.yaml"))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", tap.proxyPort()).usePlaintext().build();
  }

  private EndpointReport awaitEndpoint(String endpoint, Predicate<EndpointReport> done) throws InterruptedException {
    java.util.concurrent.atomic.AtomicReference<EndpointReport> last = new java.util.concurrent.atomic.AtomicReference<>();
    dev.shadowparity.Await.until(() -> {
      EndpointReport r = tap.engine().ledger().report().endpoint(endpoint);
      last.set(r);
      return r != null && done.test(r);
    }, java.time.Duration.ofSeconds(20), "endpoint " + endpoint + " in the expected state");
    return last.get();
  }

  private static List<String> fields(EndpointReport r) {
    List<String> out = new ArrayList<>();
    r.fields().forEach(f -> out.add(f.field()));
    return out;
  }

  private void callAndCheck() throws Exception {
    CallOptions deadline = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    // the client gets OLD's answers, whatever NEW says
    DynamicMessage one = ClientCalls.blockingUnaryCall(channel, GrpcBackends.GET_USER, deadline, GrpcBackends.getRequest(1));
    DynamicMessage user = (DynamicMessage) one.getField(GrpcBackends.GET_RESP.findFieldByName("user"));
    assertThat(user.getField(GrpcBackends.USER.findFieldByName("name"))).isEqualTo("Ada");
    StatusRuntimeException two = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, GrpcBackends.GET_USER, deadline, GrpcBackends.getRequest(2)));
    assertThat(two.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    Iterator<DynamicMessage> stream = ClientCalls.blockingServerStreamingCall(channel, GrpcBackends.LIST_USERS, deadline,
        GrpcBackends.listRequest(3));
    int n = 0;
    while (stream.hasNext()) {
      stream.next();
      n++;
    }
    assertThat(n).isEqualTo(3);

    EndpointReport get = awaitEndpoint("grpc /shop.v1.Users/GetUser", r -> r.mismatched() == 2);
    assertThat(fields(get)).contains("/user/name", "/user/status", "grpc-status", "grpc-message");
    EndpointReport list = awaitEndpoint("grpc /shop.v1.Users/ListUsers", r -> r.mismatched() == 1);
    assertThat(fields(list)).containsExactly("/*/status");
  }

  @Test
  void withADescriptorSet() throws Exception {
    Path pb = GrpcBackends.writeDescriptorSet(dir);
    tap("grpc: {descriptors: [\"" + pb + "\"], reflection: false}");
    callAndCheck();
  }

  @Test
  void withServerReflection() throws Exception {
    tap("grpc: {reflection: true}");
    callAndCheck();
  }
}
