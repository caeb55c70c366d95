package dev.shadowparity.fleet;

import dev.shadowparity.cli.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package, the newest version under
 * {@code /usr/lib/postgresql/<version>/bin}) on a fresh temporary data directory, listening on 127.0.0.1 at a free
 * port and on a Unix socket in its own directory; never the system's cluster.
 *
 * <p>{@code initdb} makes the superuser {@value #USER} with a random password: TCP connections (all of the tests') must
 * give it (scram-sha-256), the Unix socket trusts. {@link #create()} also makes the database {@value #DATABASE}.
 * {@link #stop()} and {@link #start()} restart the server on the same port and data directory (a database restart in
 * the middle of a test); {@link #kill()} is a crash (SIGKILL of the postmaster and all its processes, so the next
 * start runs crash recovery). Every wait is bounded; the server's log is {@link #log()}, and failures carry its tail.
 *
 * <p>PostgreSQL refuses to run as root, and the tests run as root on CI: then every server command runs as the
 * {@code postgres} user the Debian package creates (through {@code setpriv}, which execs, so the postmaster is this
 * JVM's own child: the JVM reaps it, and {@link #kill()} signals the postmaster itself rather than a supervising
 * {@code runuser}, which would stop itself when its child is stopped), and the temporary directory belongs to it.
 */
public final class PostgresServer implements AutoCloseable {

  /** The superuser {@code initdb} makes; it has {@link #password()}. */
  static final String USER = "parity";
  /** The database {@link #create()} makes. */
  static final String DATABASE = "parity";

  private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
  private static final String OS_USER = "postgres";
  private static final Duration COMMAND = Duration.ofSeconds(120);
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration SHUTDOWN = Duration.ofSeconds(60);

  private final Path bin;
  private final boolean asOsUser;
  private final Path dir;
  private final Path data;
  private final Path sockets;
  private final Path log;
  private final String password;
  private final Thread killOnExit = new Thread(this::killQuietly, "postgres-kill-on-exit");
  private int port;
  private Process postmaster;
  /** Killed and not started since: the crash left shared memory behind, which only a start cleans up. */
  private boolean crashed;

  private PostgresServer(Path bin, boolean asOsUser, Path dir, String password) {
    this.bin = bin;
    this.asOsUser = asOsUser;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.sockets = dir.resolve("sockets");
    this.log = dir.resolve("postgres.log");
    this.password = password;
  }

  /**
   * Makes a data directory ({@code initdb}), starts the server on a free loopback port, waits until it accepts
   * connections and makes the database {@value #DATABASE}.
   */
  public static PostgresServer create() throws Exception {
    Path bin = binaries();
    boolean root = isRoot();
    if (root && !osUserExists()) {
      throw new AssertionError("running as root, and there is no '" + OS_USER + "' user to run PostgreSQL as (it refuses "
          + "to run as root); Debian's postgresql package creates it: apt-get install --no-install-recommends postgresql");
    }
    Path dir = Files.createTempDirectory("parity-postgres-");
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String password = "pw" + HexFormat.of().formatHex(random);
    PostgresServer server = new PostgresServer(bin, root, dir, password);
    try {
      server.initdb();
      server.startOnFreePort();
      try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + DATABASE);
      }
      Runtime.getRuntime().addShutdownHook(server.killOnExit);
      return server;
    } catch (Exception | AssertionError e) {
      server.killQuietly();
      server.removeEverything();
      throw e;
    }
  }

  /** PostgreSQL's bin directory: the newest version under /usr/lib/postgresql that has a server. */
  static Path binaries() {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(DEBIAN_BINARIES)) {
      try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
        versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
            .forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found.stream().max(Comparator.comparing(b -> version(b.getParent().getFileName().toString())))
        .orElseThrow(() -> new AssertionError("PostgreSQL's server is not installed (no "
            + DEBIAN_BINARIES + "/<version>/bin/postgres): the fleet tests run a real PostgreSQL. Install Debian's "
            + "package with 'apt-get install --no-install-recommends postgresql' (.ci/run does this)."));
  }

  /** "15" or "9.6" as a number to compare: major * 1000 + minor; a name that is not a version sorts first. */
  private static int version(String name) {
    String[] parts = name.split("\\.");
    try {
      return Integer.parseInt(parts[0]) * 1000 + (parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRoot() throws IOException, InterruptedException {
    return run(List.of("id", "-u"), Duration.ofSeconds(10)).strip().equals("0");
  }

  private static boolean osUserExists() throws IOException {
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
      return true;
    } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
      return false;
    }
  }

  private void initdb() throws IOException, InterruptedException {
    Files.createDirectories(sockets);
    Path passwordFile = dir.resolve("password");
    Files.writeString(passwordFile, password + "\n");
    if (asOsUser) {
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      for (Path p : List.of(dir, sockets, passwordFile)) {
        Files.setOwner(p, users.lookupPrincipalByName(OS_USER));
        Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(users.lookupPrincipalByGroupName(OS_USER));
      }
    }
    try {
      String out = run(asServerUser(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
          "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale",
          "--no-sync"), COMMAND);
      Files.writeString(log, out);
    } finally {
      Files.deleteIfExists(passwordFile);
    }
  }

  /** First start: a free port; should another process take it before the server binds it, another one. */
  private void startOnFreePort() throws Exception {
    for (int attempt = 1; ; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      try {
        start();
        return;
      } catch (AssertionError e) {
        boolean portTaken = logTail().contains("could not bind") || logTail().contains("could not create any TCP/IP sockets");
        if (attempt == 3 || !portTaken) {
          throw e;
        }
      }
    }
  }

  /**
   * Starts the server on its data directory and port (after {@link #stop()} or {@link #kill()}: the same as before),
   * and waits, at most 60 s, until it accepts connections (after a kill, that includes crash recovery).
   */
  void start() throws Exception {
    if (postmaster != null) {
      throw new IllegalStateException("PostgreSQL is already running on port " + port);
    }
    Files.writeString(log, "--- test fixture: starting on 127.0.0.1:" + port + " ---\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    Process p = new ProcessBuilder(asServerUser(bin.resolve("postgres").toString(), "-D", data.toString(),
        "-p", String.valueOf(port), "-k", sockets.toString(), "-c", "listen_addresses=127.0.0.1"))
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    postmaster = p;
    try {
      Poll.until(() -> {
        if (!p.isAlive()) {
          throw new AssertionError("PostgreSQL exited with " + p.exitValue() + " while starting on port " + port
              + "; log:\n" + logTail());
        }
        return accepting() ? Boolean.TRUE : null;
      }, STARTUP, () -> "PostgreSQL to accept connections on 127.0.0.1:" + port + "; log:\n" + logTail());
    } catch (Exception | AssertionError e) {
      killQuietly();
      throw e;
    }
    crashed = false;
  }

  /** Whether a password login on TCP works now; a refused or failed login of a server still starting is a no. */
  private boolean accepting() {
    try (Connection c = connect("postgres")) {
      return c.isValid(5);
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
        throw new AssertionError("PostgreSQL refused the fixture's own login: " + e.getMessage() + "; log:\n" + logTail(), e);
      }
      return false; // not listening yet, or "the database system is starting up"
    }
  }

  /**
   * Fast shutdown (SIGINT: open sessions are ended, then a checkpoint), waiting at most 60 s until the postmaster
   * has exited and the port is closed. Fails (after a {@link #kill()}) if it does not.
   */
  void stop() throws Exception {
    Process p = running();
    signal("INT", p.pid());
    if (!p.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
      String tail = logTail();
      kill();
      throw new AssertionError("PostgreSQL did not stop within " + SHUTDOWN.toSeconds() + " s of a fast shutdown; "
          + "killed it. Log:\n" + tail);
    }
    postmaster = null;
    awaitPortClosed();
  }

  /**
   * A crash: stops the postmaster (so it forks no more), then SIGKILLs it and every process it had; waits at most
   * 60 s until they are gone and the port is closed. Committed transactions survive (the next {@link #start()}
   * recovers them from the WAL); the clients' connections break mid-statement, without a word from the server. The
   * postmaster's own processes die orphaned: where init does not reap orphans (a container's or this VM's process
   * manager may not), they stay zombies, which hold no port, lock or memory.
   */
  void kill() throws Exception {
    Process p = running();
    ProcessHandle pm = p.toHandle();
    try {
      signal("STOP", p.pid());
    } catch (AssertionError e) {
      if (p.isAlive()) {
        throw e;
      } // it had died already: nothing to stop
    }
    List<ProcessHandle> children = pm.descendants().toList();
    pm.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    if (!p.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("the PostgreSQL postmaster " + p.pid() + " did not die of SIGKILL within "
          + SHUTDOWN.toSeconds() + " s");
    }
    postmaster = null;
    crashed = true;
    Poll.until(() -> children.stream().allMatch(PostgresServer::gone) ? Boolean.TRUE : null, SHUTDOWN,
        () -> "PostgreSQL's processes to die of SIGKILL: " + children.stream().filter(h -> !gone(h)).toList());
    awaitPortClosed();
  }

  /** Dead, or dead and not yet reaped (a zombie holds no port, lock or shared memory). */
  private static boolean gone(ProcessHandle h) {
    if (!h.isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(h.pid()), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return !h.isAlive();
    }
  }

  private Process running() {
    if (postmaster == null) {
      throw new IllegalStateException("PostgreSQL is not running");
    }
    return postmaster;
  }

  /** Whether the server was started and has not been stopped or killed since. */
  boolean isRunning() {
    return postmaster != null;
  }

  private void awaitPortClosed() throws Exception {
    Poll.until(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return null;
      } catch (IOException refused) {
        return Boolean.TRUE;
      }
    }, SHUTDOWN, () -> "port " + port + " to close after PostgreSQL stopped");
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    // the shell's kill: Java itself sends only SIGTERM and SIGKILL
    run(List.of("sh", "-c", "kill -" + signal + " \"$1\"", "sh", String.valueOf(pid)), Duration.ofSeconds(10));
  }

  /** A connection to {@value #DATABASE} over TCP with the password. */
  public Connection connect() throws SQLException {
    return connect(DATABASE);
  }

  /** A connection to {@code database} over TCP as {@value #USER} with the password. */
  Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "5");
    props.setProperty("loginTimeout", "10");
    props.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(jdbcUrl(database), props);
  }

  /** Makes another database (say, an empty one for a test of its own). */
  public void createDatabase(String name) throws SQLException {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("a database name of lower-case letters, digits and _: " + name);
    }
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/parity}, without credentials ({@link #user()}, {@link #password()}). */
  String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** {@code postgresql://parity:PASSWORD@127.0.0.1:PORT/parity}, the form {@code --store} takes (issue 20). */
  public String uri() {
    return uri(DATABASE);
  }

  public String uri(String database) {
    return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + database;
  }

  /** {@code postgresql://parity@127.0.0.1:PORT/parity}: the password then comes from {@code PGPASSWORD}. */
  String uriWithoutPassword() {
    return uriWithoutPassword(DATABASE);
  }

  String uriWithoutPassword(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  String user() {
    return USER;
  }

  /** Random per server; letters and digits only, so it needs no escaping in a URI. */
  String password() {
    return password;
  }

  int port() {
    return port;
  }

  /** PostgreSQL's bin directory in use (psql, pg_dump, ... are there too). */
  Path bin() {
    return bin;
  }

  /** The temporary directory: data/, sockets/ (the Unix socket) and the log; {@link #close()} removes it. */
  Path directory() {
    return dir;
  }

  /** The server's log: initdb's output, then every start's. */
  Path log() {
    return log;
  }

  /** The last 40 lines of the server's log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Stops the server if it runs and removes the temporary directory. A fast shutdown rather than a kill: PostgreSQL
   * then removes its shared memory (a kill leaves it to the next start), and its processes are reaped. A server left
   * killed is started and stopped once, for the same reason.
   */
  @Override
  public void close() throws Exception {
    try {
      if (postmaster != null) {
        stop();
      } else if (crashed) {
        start();
        stop();
      }
    } finally {
      killQuietly();
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNotRegistered) {
        // nothing to remove
      }
      removeEverything();
    }
  }

  /** For the JVM's exit and failed starts: SIGKILL to the postmaster and its processes, no waiting. */
  private void killQuietly() {
    Process p = postmaster;
    if (p != null) {
      List<ProcessHandle> children = p.toHandle().descendants().toList();
      p.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      postmaster = null;
    }
  }

  private void removeEverything() throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The command as the postgres user when this JVM is root (PostgreSQL refuses root), else as it is. */
  private List<String> asServerUser(String... command) {
    List<String> out = new ArrayList<>();
    if (asOsUser) {
      out.addAll(List.of("setpriv", "--reuid=" + OS_USER, "--regid=" + OS_USER, "--init-groups", "--"));
    }
    out.addAll(List.of(command));
    return out;
  }

  /** Runs a command to its end, at most {@code max}; returns its output or fails with it. */
  private static String run(List<String> command, Duration max) throws IOException, InterruptedException {
    Path out = Files.createTempFile("parity-postgres-command-", ".log");
    try {
      Process p = new ProcessBuilder(command).directory(Path.of(System.getProperty("java.io.tmpdir")).toFile())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(max.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(String.join(" ", command) + " did not finish within " + max.toSeconds() + " s:\n"
            + Files.readString(out));
      }
      String output = Files.readString(out);
      if (p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed with exit code " + p.exitValue() + ":\n" + output);
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
