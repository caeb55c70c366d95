package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The browser tests' scripts ({@code webtest/}, playwright-core driving Debian's {@code /usr/bin/chromium}), run from
 * a test: what they need, and a run of one, bounded. Shared by the admin page tests of this package and the fleet's.
 */
public final class WebTest {

  /** The repository's root: the scripts run there, and paths given to them are relative to it. */
  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path WEBTEST = ROOT.resolve("webtest");

  private WebTest() {}

  /**
   * Node, webtest/node_modules and Chromium must be there: a missing one fails with how to install it.
   *
   * @return the node executable
   */
  public static String requirements() {
    String node = null;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "node"))) {
        node = Path.of(dir, "node").toString();
        break;
      }
    }
    if (node == null) {
      fail("node is not on PATH: the admin page browser test needs Node.js (apt-get install -y nodejs npm)");
    }
    if (!Files.isDirectory(WEBTEST.resolve("node_modules/playwright-core"))) {
      fail("webtest/node_modules is missing: run (cd webtest && npm ci --no-audit --no-fund) (.ci/run does)");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
      fail("/usr/bin/chromium is missing: apt-get install -y chromium (Debian's package; .ci/run installs it)");
    }
    return node;
  }

  /** Runs a webtest script (at most 180 s) in {@link #ROOT}; returns its output, having asserted that it exited 0. */
  public static String run(String node, String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = node;
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).start();
    // read while it runs: a full pipe would block the script
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return "(output unreadable: " + e + ")";
      }
    });
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(args[0] + " did not finish in 180 s: " + out.get(10, TimeUnit.SECONDS));
    }
    String output = out.get(30, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as("node %s output:%n%s", args[0], output).isEqualTo(0);
    return output;
  }
}
