package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parity tap --admin} on an address other than loopback: refused without a token (exit 2, nothing started,
 * no store created), served with {@code --admin-insecure} (and a warning), and then still guarded against other
 * sites' pages: a foreign Host and a cross-site POST are refused, a name given with {@code --admin-host} passes.
 */
class TapAdminExposureTest {

  @TempDir
  Path dir;

  @Test
  void wildcardAdminWithoutToken_exit2_withWhatToDo() {
    Path db = dir.resolve("parity.db");
    CompareCommandTest.Run r = CompareCommandTest.run("tap", "--old", "http://127.0.0.1:1", "--new", "http://127.0.0.1:2",
        "--listen", "127.0.0.1:0", "--admin", "0.0.0.0:0", "--store", db.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains("parity tap: the admin API would listen on 0.0.0.0:0 (not loopback) without a token")
        .contains("PARITY_ADMIN_TOKEN").contains("--admin-insecure");
    assertThat(r.out()).doesNotContain("Shadow Parity tap:");
    assertThat(db).doesNotExist();
  }

  /** A real process, as an operator starts it. */
  @Test
  void wildcardAdminWithInsecure_startsWarns_andStillRefusesForeignHostsAndCrossSitePosts() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ParityMain.class.getName(), "tap",
        "--old", "http://127.0.0.1:1", "--new", "http://127.0.0.1:2", "--listen", "127.0.0.1:0",
        "--admin", "0.0.0.0:0", "--admin-insecure", "--admin-host", "tap.internal", "--store", "none"));
    Path log = dir.resolve("tap.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("PARITY_ADMIN_TOKEN");
    Process p = pb.start();
    try {
      Pattern adminLine = Pattern.compile("Admin: http://0\\.0\\.0\\.0:(\\d+)/");
      Matcher m = Poll.until(() -> {
        Matcher found = adminLine.matcher(Files.readString(log));
        if (found.find()) {
          return found;
        }
        assertThat(p.isAlive()).as("tap running: %s", Files.readString(log)).isTrue();
        return null;
      }, java.time.Duration.ofSeconds(30), "the tap's admin line");
      int port = Integer.parseInt(m.group(1));
      assertThat(Files.readString(log)).contains("WARN").contains("the admin API listens on 0.0.0.0:0 without a token");
      assertThat(status(port, "GET /health", "Host: 127.0.0.1:" + port)).isEqualTo(200);
      assertThat(status(port, "GET /api/report", "Host: tap.internal:" + port)).isEqualTo(200);
      assertThat(status(port, "GET /api/report", "Host: evil.example:" + port)).isEqualTo(403);
      assertThat(status(port, "POST /api/reset", "Host: tap.internal:" + port, "Origin: https://evil.example",
          "Content-Type: application/x-www-form-urlencoded")).isEqualTo(403);
      assertThat(status(port, "POST /api/reset", "Host: tap.internal:" + port, "Origin: http://tap.internal:" + port,
          "Sec-Fetch-Site: same-origin")).isEqualTo(200);
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static int status(int port, String requestLine, String... headers) throws Exception {
    StringBuilder req = new StringBuilder(requestLine + " HTTP/1.1\r\n");
    for (String h : headers) {
      req.append(h).append("\r\n");
    }
    req.append(requestLine.startsWith("POST") ? "Content-Length: 0\r\n" : "").append("Connection: close\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(answer.substring(9, 12));
    }
  }
}
