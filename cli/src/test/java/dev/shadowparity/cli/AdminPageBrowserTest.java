package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admin page in a real headless Chromium (Debian's {@code /usr/bin/chromium}, driven by playwright-core from
 * {@code webtest/}): the demo runs in-process on ephemeral ports, {@code webtest/page-test.js} checks that the demo's
 * endpoints are listed, opens a FAILING endpoint and finds the highlighted difference, and saves a screenshot to
 * {@code cli/target/admin-page.png}.
 */
class AdminPageBrowserTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path WEBTEST = ROOT.resolve("webtest");

  @Test
  void pageListsDemoEndpoints_clickOpensFailingEndpoint_withHighlightedDifference() throws Exception {
    String node = requirements();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // the demo keeps running until a signal; a daemon thread ends with the test JVM
    Thread demo = new Thread(() -> ParityMain.run(new PrintWriter(out, true), new PrintWriter(err, true),
        "demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--requests", "200"), "admin-page-demo");
    demo.setDaemon(true);
    demo.start();
    Pattern admin = Pattern.compile("Admin API:\\s+(http://127\\.0\\.0\\.1:\\d+)/api/report");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    Matcher m = admin.matcher("");
    while (!(m = admin.matcher(out.toString())).find()) {
      if (!demo.isAlive() || System.nanoTime() > deadline) {
        fail("the demo did not start: " + out + err);
      }
      Thread.sleep(100);
    }
    String adminUrl = m.group(1);
    Path shot = ROOT.resolve("cli/target/admin-page.png");
    Files.deleteIfExists(shot);
    Process p = new ProcessBuilder(node, "webtest/page-test.js", adminUrl, "cli/target/admin-page.png")
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
      fail("page-test.js did not finish in 120 s: " + output);
    }
    assertThat(p.exitValue()).as("node webtest/page-test.js output:%n%s", output).isEqualTo(0);
    assertThat(output).contains("page-test OK").containsPattern("listed \\d+ endpoints")
        .containsPattern("endpoint page: \\d+ highlighted differences, first: \u2260 /average 937 937\\.5");
    assertThat(shot).exists();
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }

  /** Node, webtest/node_modules and Chromium must be there: a missing one fails with how to install it. */
  private static String requirements() throws Exception {
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
}
