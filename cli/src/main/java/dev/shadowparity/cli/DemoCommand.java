package dev.shadowparity.cli;

import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.config.TapConfig;
import dev.shadowparity.demo.DemoBackends;
import dev.shadowparity.report.Report;
import dev.shadowparity.tap.Tap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parity demo}: the whole loop on a built-in shop API, with no external services. */
@Command(name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Starts two built-in backends that answer like the same shop API on Python 2 (OLD) and Python 3 (NEW),",
        "using responses captured from the real interpreters; puts a tap in front, sends traffic through it,",
        "prints the per-endpoint summary and the admin URLs, and keeps running until Ctrl-C."
    })
final class DemoCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
      description = "Where the tap listens (use port 0 for any free port). Default: ${DEFAULT-VALUE}.")
  String listen;

  @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9090",
      description = "Where the admin API listens (port 0 for any free port). Default: ${DEFAULT-VALUE}.")
  String admin;

  @Option(names = "--admin-insecure",
      description = "Allow --admin on an address other than loopback (the demo's admin has no token).")
  boolean adminInsecure;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "600",
      description = "Requests to send through the tap. Default: ${DEFAULT-VALUE}.")
  int requests;

  @Option(names = "--exit", description = "Exit after printing the summary instead of running until Ctrl-C.")
  boolean exit;

  @Option(names = "--grpc", description = "The gRPC demo instead: a catalogue service on HTTP/2 (OLD and NEW differ in "
      + "a price, a stock state and an error status), called through the tap over h2c; its messages decoded with the "
      + "service's descriptor set, compared field by field (docs/protocols.md).")
  boolean grpc;

  /**
   * What the demo's team accepted as intended, as {@code parity accept} would write it: NEW's framework adds RFC 8288
   * pagination links. The summary lists it as accepted; the other differences of the endpoint still count.
   */
  static final dev.shadowparity.baseline.Baseline DEMO_BASELINE = dev.shadowparity.baseline.Baseline.NONE.with(
      new dev.shadowparity.baseline.BaselineEntry("header:link", "extra", List.of("GET /api/products"), null, null,
          "NEW adds RFC 8288 pagination links (intended)", "demo", "2026-12-06T00:00:00Z"));

  @Override
  public Integer call() throws Exception {
    if (grpc) {
      return grpcDemo();
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DemoBackends demo = DemoBackends.load().stampServedAt(true);
    Vertx vertx = Tap.newVertx(ConfigLoader.parse("", "demo"));
    Tap tap;
    try {
      HttpServer oldServer = await(demo.start(vertx, false));
      HttpServer newServer = await(demo.start(vertx, true));
      String yaml = "old: http://127.0.0.1:" + oldServer.actualPort() + "\nnew: http://127.0.0.1:" + newServer.actualPort() + "\n";
      dev.shadowparity.config.ConfigFile whole = ConfigLoader.parseFile(yaml, "demo");
      ParityConfig engineConfig = whole.engine();
      TapConfig tapConfig = whole.tap().override().listen(listen).admin(admin).adminInsecure(adminInsecure).apply();
      tap = await(Tap.start(vertx, engineConfig, tapConfig, DEMO_BASELINE));
    } catch (ExecutionException | TimeoutException | IllegalArgumentException e) {
      err.println("parity demo: " + (e.getCause() != null && e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage()));
      vertx.close();
      return ExitCodes.BAD_INPUT;
    }
    String proxy = "http://" + TapCommand.hostPort(listen, tap.proxyPort());
    String adminUrl = "http://" + TapCommand.hostPort(admin, tap.adminPort());
    out.println("Demo: OLD = shop API on Python 2.7, NEW = the same code on Python 3 (" + demo.pairs().size() + " captured endpoints)");
    out.println("Tap:  " + proxy + "  (sending " + requests + " requests through it...)");
    out.flush();
    int sent = drive(demo, proxy);
    awaitSettled(tap, sent);
    dev.shadowparity.render.TextSummary.write(out, tap.engine().report());
    out.println();
    out.println("Admin page: " + adminUrl + "/   (open it in a browser: verdicts, trends, samples side by side)");
    out.println("Admin API:  " + adminUrl + "/api/report   " + adminUrl + "/api/gate   " + adminUrl + "/metrics   " + adminUrl + "/health");
    out.println("Try:        curl -s " + proxy + "/api/orders/42/summary   (you get OLD's answer; NEW's is compared)");
    out.println("Accept an intended difference: parity accept --baseline parity-baseline.yaml --field header:x-total-pages "
        + "--endpoint 'GET /api/products' --reason '...'   (then parity tap/replay/report --baseline parity-baseline.yaml)");
    return runOrExit(tap, vertx, out, err);
  }

  /** With {@code --exit}, stops the tap and exits; else runs until Ctrl-C. */
  private int runOrExit(Tap tap, Vertx vertx, PrintWriter out, PrintWriter err) throws Exception {
    out.flush();
    if (exit) {
      await(tap.shutdown(2000));
      vertx.close();
      return ExitCodes.OK;
    }
    out.println("Running until Ctrl-C.");
    out.flush();
    UntilSignal.run(tap, vertx, 5000, err, "demo");
    return ExitCodes.OK;
  }

  /** Sends the captured requests round-robin, 16 at a time; returns how many were sent. */
  private int drive(DemoBackends demo, String proxy) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Semaphore window = new Semaphore(16);
    List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>(requests);
    List<DemoBackends.Pair> pairs = demo.pairs();
    for (int i = 0; i < requests; i++) {
      DemoBackends.Pair p = pairs.get(i % pairs.size());
      HttpRequest.BodyPublisher body = p.method().equals("GET") || p.method().equals("HEAD")
          ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}");
      HttpRequest req = HttpRequest.newBuilder(URI.create(proxy + p.target())).method(p.method(), body)
          .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build();
      window.acquire();
      all.add(client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> window.release()));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).handle((v, e) -> null).join();
    return requests;
  }

  private static void awaitSettled(Tap tap, int sent) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      Report.Totals t = tap.engine().report().totals();
      if (t.compared() + t.errors() + t.notComparable() + t.skipped() >= sent) {
        return;
      }
      Thread.sleep(50);
    }
  }

  /**
   * {@code parity demo --grpc}: the catalogue service's OLD and NEW ({@link dev.shadowparity.demo.GrpcDemoBackends},
   * HTTP/2 servers), the tap in front speaking h2c to clients and backends, {@code --requests} calls through it (unary
   * GetItem over ids 1 to 25, some past the catalogue, and every tenth a ListItems stream), then the summary.
   */
  private int grpcDemo() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    dev.shadowparity.demo.GrpcDemoBackends demo = new dev.shadowparity.demo.GrpcDemoBackends();
    java.nio.file.Path work = java.nio.file.Files.createTempDirectory("parity-grpc-demo");
    work.toFile().deleteOnExit();
    java.nio.file.Path descriptors = demo.writeDescriptorSet(work);
    descriptors.toFile().deleteOnExit();
    Vertx vertx = Tap.newVertx(ConfigLoader.parse("", "demo"));
    Tap tap;
    try {
      HttpServer oldServer = await(demo.start(vertx, false));
      HttpServer newServer = await(demo.start(vertx, true));
      String yaml = "old: http://127.0.0.1:" + oldServer.actualPort() + "\nnew: http://127.0.0.1:" + newServer.actualPort() + "\n"
          + "protocol: h2c\n"
          + "grpc: {descriptors: ['" + descriptors.toString().replace("'", "''") + "'], reflection: false}\n"
          // gRPC calls are POSTs: these two read, so they are mirrored
          + "endpoints:\n"
          + "  \"grpc " + dev.shadowparity.demo.GrpcDemoBackends.GET_ITEM + "\": {mirror-methods: [POST]}\n"
          + "  \"grpc " + dev.shadowparity.demo.GrpcDemoBackends.LIST_ITEMS + "\": {mirror-methods: [POST]}\n";
      dev.shadowparity.config.ConfigFile whole = ConfigLoader.parseFile(yaml, "demo");
      TapConfig tapConfig = whole.tap().override().listen(listen).admin(admin).adminInsecure(adminInsecure).apply();
      tap = await(Tap.start(vertx, whole.engine(), tapConfig));
    } catch (ExecutionException | TimeoutException | IllegalArgumentException e) {
      err.println("parity demo: " + (e.getCause() != null && e instanceof ExecutionException ? e.getCause().getMessage() : e.getMessage()));
      vertx.close();
      return ExitCodes.BAD_INPUT;
    }
    String proxy = TapCommand.hostPort(listen, tap.proxyPort());
    String adminUrl = "http://" + TapCommand.hostPort(admin, tap.adminPort());
    out.println("gRPC demo: " + dev.shadowparity.demo.GrpcDemoBackends.SERVICE + " on HTTP/2; NEW rounds one price down, says "
        + "LIMITED where OLD says IN_STOCK, and fails unknown items with INTERNAL where OLD says NOT_FOUND");
    out.println("Tap:  h2c://" + proxy + "  (sending " + requests + " calls through it...)");
    out.flush();
    int sent = driveGrpc(vertx, demo, tap.proxyPort());
    awaitSettled(tap, sent);
    dev.shadowparity.render.TextSummary.write(out, tap.engine().report());
    out.println();
    if (!exit) { // with --exit, the tap, its page and the descriptor file are gone once this returns
      out.println("Admin page: " + adminUrl + "/   (samples show each side's messages as JSON)");
      out.println("Try:        grpcurl -plaintext -protoset " + descriptors + " -d '{\"id\": 3}' " + proxy + " "
          + dev.shadowparity.demo.GrpcDemoBackends.SERVICE + "/GetItem");
    }
    return runOrExit(tap, vertx, out, err);
  }

  /** Sends the gRPC calls over h2c with prior knowledge, 16 at a time; returns how many were sent. */
  private int driveGrpc(Vertx vertx, dev.shadowparity.demo.GrpcDemoBackends demo, int port) throws InterruptedException {
    io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
        .setDefaultHost("127.0.0.1").setDefaultPort(port));
    Semaphore window = new Semaphore(16);
    List<CompletableFuture<Void>> all = new ArrayList<>(requests);
    for (int i = 0; i < requests; i++) {
      boolean stream = i % 10 == 9;
      String path = stream ? dev.shadowparity.demo.GrpcDemoBackends.LIST_ITEMS : dev.shadowparity.demo.GrpcDemoBackends.GET_ITEM;
      io.vertx.core.buffer.Buffer body = stream ? demo.listItems(8) : demo.getItem(1 + i % 25);
      window.acquire();
      CompletableFuture<Void> done = new CompletableFuture<>();
      client.request(new io.vertx.core.http.RequestOptions().setMethod(io.vertx.core.http.HttpMethod.POST).setURI(path)
              .putHeader("content-type", "application/grpc").putHeader("te", "trailers"))
          .compose(req -> req.send(body)).compose(io.vertx.core.http.HttpClientResponse::body)
          .onComplete(ar -> {
            window.release();
            done.complete(null);
          });
      all.add(done);
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
    client.close();
    return requests;
  }

  private static <T> T await(Future<T> f) throws ExecutionException, InterruptedException, TimeoutException {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
