package dev.shadowparity.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.shadowparity.cli.ParityMain;
import dev.shadowparity.cli.Poll;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet tests' fixtures work: a real PostgreSQL that restarts and crashes, and a tap in a process of its own. */
class PostgresServerTest {

  @TempDir
  Path dir;
  private final List<HttpServer> backends = new ArrayList<>();
  private final ExecutorService backendThreads = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopBackends() {
    backends.forEach(s -> s.stop(0));
    backendThreads.shutdownNow();
  }

  @Test
  void postgres_passwordLogin_restartKeepsRows_crashKeepsCommittedRowsOnly() throws Exception {
    Path directory;
    try (PostgresServer pg = PostgresServer.create()) {
      directory = pg.directory();
      int port = pg.port();
      assertThat(pg.uri()).isEqualTo("postgresql://parity:" + pg.password() + "@127.0.0.1:" + port + "/parity");
      assertThat(pg.uriWithoutPassword()).isEqualTo("postgresql://parity@127.0.0.1:" + port + "/parity");
      assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/parity");

      // TCP logins need the password (scram-sha-256)
      assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong").close())
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
      assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), null).close())
          .isInstanceOf(SQLException.class);
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE evidence (id int PRIMARY KEY, v text NOT NULL)");
        st.execute("INSERT INTO evidence VALUES (1, 'before restart')");
      }
      // libpq's way: the URI without the password, PGPASSWORD in the environment
      assertThat(psql(pg, pg.password(), "SELECT v FROM evidence")).isEqualTo("before restart");
      assertThatThrownBy(() -> psql(pg, "wrong", "SELECT 1")).hasMessageContaining("password authentication failed");

      // a restart: fast shutdown, the port closed, started again on the same port and data
      Connection open = pg.connect();
      pg.stop();
      assertThat(pg.isRunning()).isFalse();
      assertThat(portOpen(port)).isFalse();
      assertThatThrownBy(() -> rows(open)).isInstanceOf(SQLException.class);
      open.close();
      pg.start();
      assertThat(pg.port()).isEqualTo(port);
      try (Connection c = pg.connect()) {
        assertThat(rows(c)).containsExactly("1:before restart");
      }

      // a crash in the middle of a transaction: the committed row survives, the uncommitted one does not
      try (Connection committed = pg.connect(); Connection uncommitted = pg.connect()) {
        uncommitted.setAutoCommit(false);
        try (Statement st = uncommitted.createStatement()) {
          st.execute("INSERT INTO evidence VALUES (3, 'never committed')");
        }
        try (Statement st = committed.createStatement()) {
          st.execute("INSERT INTO evidence VALUES (2, 'committed before the crash')");
        }
        pg.kill();
        assertThat(portOpen(port)).isFalse();
        assertThatThrownBy(uncommitted::commit).isInstanceOf(SQLException.class);
      }
      pg.start();
      assertThat(pg.logTail()).contains("automatic recovery in progress");
      try (Connection c = pg.connect()) {
        assertThat(rows(c)).containsExactly("1:before restart", "2:committed before the crash");
      }

      // another database, for a test that wants an empty one
      pg.createDatabase("empty_one");
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("empty_one"), pg.user(), pg.password());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
    assertThat(directory).doesNotExist();
  }

  @Test
  void tapProcess_learnsItsPorts_countsWhatWentThrough_andFlushesOnSigterm() throws Exception {
    HttpServer old = backend(path -> "{\"id\":\"" + path + "\",\"v\":1}");
    // every tenth user answers differently on NEW
    HttpServer neu = backend(path -> "{\"id\":\"" + path + "\",\"v\":" + (path.endsWith("0") ? 2 : 1) + "}");
    Path db = dir.resolve("parity.db");
    try (TapProcess tap = TapProcess.start(dir, "tap", List.of(
        "--old", "http://127.0.0.1:" + old.getAddress().getPort(),
        "--new", "http://127.0.0.1:" + neu.getAddress().getPort(),
        "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--store", db.toString()))) {
      assertThat(tap.proxyPort()).isPositive().isNotEqualTo(tap.adminPort());
      assertThat(tap.adminJson("/health").path("status").asText()).isEqualTo("UP");

      for (int i = 0; i < 40; i++) {
        TapProcess.Response r = tap.proxyGet("/api/users/" + i);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"id\":\"/api/users/" + i + "\",\"v\":1}");
      }
      JsonNode report = Poll.until(() -> {
        JsonNode r = tap.adminJson("/api/report");
        return r.at("/totals/compared").asLong() == 40 ? r : null;
      }, Duration.ofSeconds(30), () -> "the tap to have compared 40 exchanges; " + tap.tails());
      assertThat(report.at("/totals/mismatched").asLong()).isEqualTo(4);
      assertThat(report.at("/endpoints/0/endpoint").asText()).isEqualTo("GET /api/users/{id}");
      assertThat(report.at("/endpoints/0/compared").asLong()).isEqualTo(40);

      assertThat(tap.stop()).isEqualTo(143);
      assertThat(tap.isAlive()).isFalse();
    }
    // the last flush on SIGTERM put everything in the store
    Path json = dir.resolve("stored.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ParityMain.run(new PrintWriter(out), new PrintWriter(err), "report", "--store", db.toString(),
        "--json", json.toString(), "--fail-on", "never");
    assertThat(exit).as(err.toString()).isZero();
    JsonNode stored = new ObjectMapper().readTree(json.toFile());
    assertThat(stored.at("/totals/compared").asLong()).isEqualTo(40);
    assertThat(stored.at("/totals/mismatched").asLong()).isEqualTo(4);
  }

  private HttpServer backend(Function<String, String> body) throws IOException {
    HttpServer server = JsonBackend.start(backendThreads, body);
    backends.add(server);
    return server;
  }


  private static List<String> rows(Connection c) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, v FROM evidence ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getInt(1) + ":" + rs.getString(2));
      }
    }
    return rows;
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** {@code psql URI-without-password -c SQL} with {@code PGPASSWORD}: its output, or a failure with it. */
  private String psql(PostgresServer pg, String password, String sql) throws Exception {
    Path out = Files.createTempFile(dir, "psql-", ".out");
    ProcessBuilder pb = new ProcessBuilder(pg.bin().resolve("psql").toString(), "-X", "-At", "-v", "ON_ERROR_STOP=1",
        pg.uriWithoutPassword(), "-c", sql).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "10"));
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("psql did not finish within 30 s: " + Files.readString(out));
    }
    String output = Files.readString(out).strip();
    if (p.exitValue() != 0) {
      throw new AssertionError("psql failed with " + p.exitValue() + ": " + output);
    }
    return output;
  }
}
