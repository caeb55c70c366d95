package dev.shadowparity.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code prometheus} process on loopback, with a temporary copy of the shipped scrape config (only the
 * targets and intervals rewritten), the shipped rule file beside it and a temporary data directory.
 */
final class PrometheusServer implements AutoCloseable {

  /** Scrape and rule evaluation interval of the test copy, so a test sees several scrapes in seconds. */
  static final String INTERVAL = "1s";

  private final Process process;
  private final Path log;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One sample of an instant vector. */
  record Sample(Map<String, String> labels, double value) {}

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  /** The absolute path of an executable on PATH, or an assertion error that says how to install it. */
  static Path executable(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError(name + " is not on PATH: the dashboard tests run a real Prometheus. Install it with "
        + "'apt-get install prometheus' (Debian's package ships prometheus and promtool; .ci/run does this).");
  }

  /**
   * Writes the shipped scrape config with {@code targets} as the taps' job targets and {@link #INTERVAL} as the
   * scrape and evaluation intervals into {@code dir}, copies the shipped rule file next to it (the config names
   * it relative to itself) and starts Prometheus on a free loopback port.
   */
  static PrometheusServer start(Path dir, List<String> targets) throws IOException, InterruptedException {
    return start(dir, targets, List.of());
  }

  /**
   * As {@link #start(Path, List)}, with more rule files loaded beside the shipped one (copied into {@code dir};
   * their groups' intervals are theirs, so a test gives them {@link #INTERVAL}).
   */
  static PrometheusServer start(Path dir, List<String> targets, List<Path> moreRules) throws IOException, InterruptedException {
    Path config = writeConfig(dir, targets, moreRules);
    Path binary = executable("prometheus");
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Path log = dir.resolve("prometheus-" + attempt + ".log");
      Process p = new ProcessBuilder(binary.toString(),
          "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data-" + attempt),
          "--web.listen-address=127.0.0.1:" + port,
          "--log.level=info")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      PrometheusServer server = new PrometheusServer(p, log, port);
      try {
        server.awaitReady();
        return server;
      } catch (IOException e) {
        // the free port was taken between finding it and binding it; try another
        server.close();
        last = e;
      }
    }
    throw last;
  }

  private static Path writeConfig(Path dir, List<String> targets, List<Path> moreRules) throws IOException {
    ObjectNode config = (ObjectNode) DashboardFiles.yaml(DashboardFiles.SCRAPE_CONFIG);
    ObjectNode global = config.withObjectProperty("global");
    global.put("scrape_interval", INTERVAL);
    global.put("evaluation_interval", INTERVAL);
    boolean found = false;
    for (JsonNode job : config.withArrayProperty("scrape_configs")) {
      if (!job.path("job_name").asText().equals(DashboardFiles.JOB)) {
        continue;
      }
      found = true;
      ObjectNode j = (ObjectNode) job;
      for (String key : List.of("scrape_interval", "scrape_timeout")) {
        if (j.has(key)) {
          j.put(key, INTERVAL);
        }
      }
      ArrayNode list = j.putArray("static_configs").addObject().putArray("targets");
      targets.forEach(list::add);
    }
    if (!found) {
      throw new AssertionError(DashboardFiles.SCRAPE_CONFIG + " has no scrape config with job_name " + DashboardFiles.JOB);
    }
    for (Path rules : moreRules) {
      if (!rules.toAbsolutePath().getParent().equals(dir.toAbsolutePath())) {
        Files.copy(rules, dir.resolve(rules.getFileName()));
      }
      config.withArrayProperty("rule_files").add(rules.getFileName().toString());
    }
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, DashboardFiles.YAML.writeValueAsString(config));
    Files.copy(DashboardFiles.RULES, dir.resolve(DashboardFiles.RULES.getFileName()));
    return file;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet: poll again
      }
      Thread.sleep(100);
    }
    throw new AssertionError("prometheus was not ready within 30 s:\n" + logTail());
  }

  /** The base URL of its HTTP API, {@code http://127.0.0.1:PORT}. */
  String url() {
    return base.toString();
  }

  /** The last lines of Prometheus' log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** {@code GET /api/v1/<path>}: the {@code data} of a successful answer, or an assertion error with Prometheus' message. */
  JsonNode api(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/" + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return data(r, path);
  }

  /** Evaluates an instant query at {@code time} (Unix seconds) through {@code POST /api/v1/query}. */
  JsonNode queryData(String expr, double time) throws IOException, InterruptedException {
    String form = "query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&time=" + String.format(Locale.ROOT, "%.3f", time);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/query"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return data(r, expr);
  }

  /** The samples of an instant query that returns a vector (a scalar counts as one sample without labels). */
  List<Sample> query(String expr, double time) throws IOException, InterruptedException {
    JsonNode data = queryData(expr, time);
    List<Sample> out = new ArrayList<>();
    switch (data.path("resultType").asText()) {
      case "vector" -> {
        for (JsonNode s : data.path("result")) {
          Map<String, String> labels = new LinkedHashMap<>();
          s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
          out.add(new Sample(labels, number(s.path("value").path(1).asText())));
        }
      }
      case "scalar" -> out.add(new Sample(Map.of(), number(data.path("result").path(1).asText())));
      default -> throw new AssertionError("expected an instant vector or scalar from " + expr + ", got " + data);
    }
    return out;
  }

  /** Samples by the value of one label (which must be unique in the result). */
  Map<String, Double> queryBy(String label, String expr, double time) throws IOException, InterruptedException {
    Map<String, Double> out = new HashMap<>();
    for (Sample s : query(expr, time)) {
      if (out.put(s.labels().getOrDefault(label, ""), s.value()) != null) {
        throw new AssertionError("label " + label + " is not unique in the result of " + expr);
      }
    }
    return out;
  }

  private static double number(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private JsonNode data(HttpResponse<String> r, String what) throws IOException {
    JsonNode body;
    try {
      body = DashboardFiles.JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("Prometheus answered " + r.statusCode() + " with non-JSON for " + what + ": " + r.body(), e);
    }
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new AssertionError("Prometheus rejected " + what + ": " + r.statusCode() + " " + body.path("errorType").asText()
          + ": " + body.path("error").asText());
    }
    return body.path("data");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code promtool} with the arguments; returns its exit code and combined output. */
  static Map.Entry<Integer, String> promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable("promtool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 60 s");
      }
    } finally {
      p.destroyForcibly();
    }
    return Map.entry(p.exitValue(), out);
  }
}
