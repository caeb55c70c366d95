package dev.shadowparity.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shadowparity.cli.ParityMain;
import dev.shadowparity.cli.Poll;
import dev.shadowparity.deploy.DeployFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code parity tap} as a process of its own (a JVM on this test's classpath), as in a pod: it learns the proxy and
 * admin addresses the tap prints at startup (so {@code --listen 127.0.0.1:0 --admin 127.0.0.1:0} work) and waits, at
 * most 60 s, until the admin's {@code /health} answers 200. Its stdout and stderr go to {@code NAME.out} and
 * {@code NAME.err} in the given directory; failures carry their tails.
 */
final class TapProcess implements AutoCloseable {

  /** The JVM settings {@code ./parity tap} runs a tap with, read from the launcher. */
  static final List<String> JVM_OPTIONS = List.of(DeployFiles.launcherOptions("tap").trim().split("\\s+"));
  private static final Duration STARTUP = Duration.ofSeconds(60);
  /** SIGTERM to exit: the tap's grace (10 s by default) for in-flight requests, then its last flush. */
  private static final Duration STOP = Duration.ofSeconds(60);
  private static final Pattern PROXY = Pattern.compile("Shadow Parity tap: http://(\\S+):(\\d+) ");
  private static final Pattern ADMIN = Pattern.compile("Admin: http://(\\S+):(\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An HTTP answer. */
  record Response(int status, String body) {}

  private final String name;
  private final Process process;
  private final Path out;
  private final Path err;
  private final String adminToken;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String proxyHost;
  private int proxyPort;
  private String adminHost;
  private int adminPort;

  private TapProcess(String name, Process process, Path out, Path err, String adminToken) {
    this.name = name;
    this.process = process;
    this.out = out;
    this.err = err;
    this.adminToken = adminToken;
  }

  /** {@code parity tap ARGS}, with this JVM's environment. */
  static TapProcess start(Path dir, String name, List<String> args) throws Exception {
    return start(dir, name, Map.of(), args);
  }

  /**
   * {@code parity tap ARGS} with {@code env} added to this JVM's environment (say {@code PGPASSWORD}, or
   * {@code PARITY_ADMIN_TOKEN}, which {@link #adminGet} then sends as a bearer token).
   */
  static TapProcess start(Path dir, String name, Map<String, String> env, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ParityMain.class.getName(), "tap"));
    command.addAll(args);
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    TapProcess tap = new TapProcess(name, pb.start(), out, err, pb.environment().get("PARITY_ADMIN_TOKEN"));
    try {
      tap.awaitStarted();
      return tap;
    } catch (Exception | AssertionError e) {
      tap.close();
      throw e;
    }
  }

  private void awaitStarted() throws Exception {
    Poll.until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("tap " + name + " exited with " + process.exitValue() + " while starting; " + tails());
      }
      String printed = Files.readString(out, StandardCharsets.UTF_8);
      Matcher p = PROXY.matcher(printed);
      Matcher a = ADMIN.matcher(printed);
      if (!p.find() || !a.find()) {
        return null;
      }
      proxyHost = reachable(p.group(1));
      proxyPort = Integer.parseInt(p.group(2));
      adminHost = reachable(a.group(1));
      adminPort = Integer.parseInt(a.group(2));
      return Boolean.TRUE;
    }, STARTUP, () -> "tap " + name + " to print its addresses; " + tails());
    Poll.until(() -> {
      try {
        return adminGet("/health").status() == 200 ? Boolean.TRUE : null;
      } catch (IOException notYet) {
        return null;
      }
    }, STARTUP, () -> "tap " + name + "'s /health on " + admin() + " to answer 200; " + tails());
  }

  /** A wildcard address the tap listens on is reached on loopback. */
  private static String reachable(String host) {
    return host.equals("0.0.0.0") || host.equals("[::]") ? "127.0.0.1" : host;
  }

  /** {@code http://HOST:PORT} of the proxy (where clients send their requests). */
  String proxy() {
    return "http://" + proxyHost + ":" + proxyPort;
  }

  int proxyPort() {
    return proxyPort;
  }

  /** {@code http://HOST:PORT} of the admin API. */
  String admin() {
    return "http://" + adminHost + ":" + adminPort;
  }

  int adminPort() {
    return adminPort;
  }

  /** {@code GET PATH} (e.g. {@code /api/users/7}) through the proxy, as a client. */
  Response proxyGet(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(proxy() + path)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** {@code GET PATH} on the admin port (with the bearer token when the tap was given PARITY_ADMIN_TOKEN). */
  Response adminGet(String path) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin() + path)).timeout(Duration.ofSeconds(30));
    if (adminToken != null) {
      b.header("Authorization", "Bearer " + adminToken);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  /** The JSON of {@code GET PATH} on the admin port, which must answer 200 (say {@code /api/report}). */
  JsonNode adminJson(String path) throws IOException, InterruptedException {
    Response r = adminGet(path);
    if (r.status() != 200) {
      throw new AssertionError("tap " + name + " answered " + r.status() + " to GET " + path + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /**
   * SIGTERM, as Kubernetes stops a pod: the tap finishes in-flight requests and queued comparisons and flushes its
   * store. Waits at most 60 s; a tap still running then is killed and the call fails. Returns the exit code (143, as
   * for any JVM ended by SIGTERM).
   */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("tap " + name + " did not exit within " + STOP.toSeconds() + " s of SIGTERM; killed it. "
          + tails());
    }
    return process.exitValue();
  }

  /** SIGKILL ({@code kill -9}): no shutdown, no last flush. Returns the exit code (137). */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("tap " + name + " did not die of SIGKILL within 30 s");
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Process process() {
    return process;
  }

  /** What the tap printed on stdout so far. */
  String stdout() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** What the tap printed on stderr so far. */
  String stderr() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }

  /** The last lines of stdout and stderr, for failure messages. */
  String tails() {
    return "stdout (" + out + "):\n" + tail(out) + "\nstderr (" + err + "):\n" + tail(err);
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** Kills the tap if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
