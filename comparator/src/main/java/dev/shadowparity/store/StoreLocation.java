package dev.shadowparity.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where the evidence is kept, as {@code --store} names it: an SQLite file (a path; the embedded default), or a
 * PostgreSQL database shared by a fleet of taps,
 * {@code postgresql://[user[:password]@]host[:port]/database[?sslmode=...]} ({@code postgres://} too), the password
 * also from {@code PGPASSWORD}. {@link #toString()} never shows the password: it is what logs, reports and pages name.
 *
 * @param file     the SQLite file, or null for PostgreSQL
 * @param host     PostgreSQL's host
 * @param port     its port (5432 when not given)
 * @param database the database
 * @param user     the user, or null for the driver's default (the operating system's user name)
 * @param password the password, or null (PGPASSWORD, or none)
 * @param params   the URI's query parameters passed to the driver ({@code sslmode}, {@code sslrootcert}, ...)
 */
public record StoreLocation(Path file, String host, int port, String database, String user,
    @com.fasterxml.jackson.annotation.JsonIgnore String password, Map<String, String> params) {

  /**
   * Query parameters taken from a URI, by their lower-case spelling, and the driver's own (case-sensitive) name:
   * pgjdbc ignores a property spelled otherwise, so {@code channelbinding=require} would silently not be required.
   * Others are refused, naming them.
   */
  private static final Map<String, String> DRIVER_PARAMS = Map.ofEntries(
      Map.entry("sslmode", "sslmode"), Map.entry("sslrootcert", "sslrootcert"), Map.entry("sslcert", "sslcert"),
      Map.entry("sslkey", "sslkey"), Map.entry("sslpassword", "sslpassword"), Map.entry("ssl", "ssl"),
      Map.entry("sslnegotiation", "sslNegotiation"), Map.entry("connecttimeout", "connectTimeout"),
      Map.entry("sockettimeout", "socketTimeout"), Map.entry("application_name", "ApplicationName"),
      Map.entry("applicationname", "ApplicationName"), Map.entry("targetservertype", "targetServerType"), Map.entry("options", "options"),
      Map.entry("gssencmode", "gssEncMode"), Map.entry("channelbinding", "channelBinding"));

  /**
   * Reads a {@code --store} value.
   *
   * @param env the environment ({@code PGPASSWORD} is read from it when the URI has no password)
   * @throws IllegalArgumentException naming what is wrong, never echoing a password
   */
  public static StoreLocation parse(String value, Map<String, String> env) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the store is empty: give a file, a postgresql:// URI, or none");
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
      // a scheme of two letters or more (C:\ stays a path): a mistyped URI must not quietly become a local file
      if (lower.matches("^[a-z][a-z0-9+.-]+:.*")) {
        String scheme = value.substring(0, value.indexOf(':'));
        throw new IllegalArgumentException("'" + scheme + ":...': a store is an SQLite file or a postgresql:// URI"
            + (scheme.equalsIgnoreCase("jdbc") ? " (not a JDBC URL: postgresql://user@host:5432/database)" : ""));
      }
      return new StoreLocation(Path.of(value), null, 0, null, null, null, Map.of());
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the postgresql:// store URI is not a URI (" + e.getReason()
          + "); percent-encode special characters in the user or password");
    }
    String host = uri.getHost();
    int port = uri.getPort();
    String userInfo = uri.getRawUserInfo();
    if (host == null && uri.getRawAuthority() != null) {
      // java.net.URI takes a name with '_' (a compose service, say) for no host at all: read the authority here
      String authority = uri.getRawAuthority();
      int at = authority.lastIndexOf('@');
      userInfo = at < 0 ? null : authority.substring(0, at);
      String hostPort = authority.substring(at + 1);
      int colon = hostPort.lastIndexOf(':');
      if (colon > 0 && !hostPort.endsWith("]")) {
        try {
          port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("the postgresql:// store URI's port '" + hostPort.substring(colon + 1)
              + "' is not a number", e);
        }
        hostPort = hostPort.substring(0, colon);
      }
      host = hostPort.isEmpty() ? null : hostPort;
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the postgresql:// store URI needs a host: postgresql://[user[:password]@]host[:port]/database");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException("the postgresql:// store URI needs a database: postgresql://" + host
          + (port > 0 ? ":" + port : "") + "/DATABASE");
    }
    String user = null;
    String password = null;
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    if (password == null && env.get("PGPASSWORD") != null && !env.get("PGPASSWORD").isEmpty()) {
      password = env.get("PGPASSWORD");
    }
    Map<String, String> params = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String driverName = DRIVER_PARAMS.get(key.toLowerCase(Locale.ROOT));
        if (driverName == null) {
          throw new IllegalArgumentException("the postgresql:// store URI has an unknown parameter '" + key
              + "' (known: sslmode, sslrootcert, sslcert, sslkey, connectTimeout, socketTimeout, application_name, ...)");
        }
        params.put(driverName, eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return new StoreLocation(null, host, port > 0 ? port : 5432, database, user, password, Map.copyOf(params));
  }

  /** A store file. */
  public static StoreLocation of(Path file) {
    return new StoreLocation(file, null, 0, null, null, null, Map.of());
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Whether this is a PostgreSQL database (a fleet's shared store), not a file. */
  public boolean postgres() {
    return file == null;
  }

  /** The JDBC URL, without user or password (those go in {@link #driverProperties()}). */
  String jdbcUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /**
   * The driver's properties: the user and password, the URI's parameters, and bounded waits (connect 10 s, a
   * statement or a silent server 60 s), so a database that stops answering never holds the writer forever.
   */
  Properties driverProperties(String applicationName) {
    Properties p = new Properties();
    p.setProperty("connectTimeout", "10");
    p.setProperty("loginTimeout", "10");
    p.setProperty("socketTimeout", "60");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", applicationName);
    params.forEach(p::setProperty);
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return p;
  }

  /** The store as logs, reports and pages name it: the file, or the URI without its password. */
  @Override
  public String toString() {
    if (file != null) {
      return file.toString();
    }
    StringBuilder b = new StringBuilder("postgresql://");
    if (user != null) {
      b.append(user).append('@');
    }
    b.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/').append(database);
    char sep = '?';
    for (Map.Entry<String, String> p : new java.util.TreeMap<>(params).entrySet()) {
      if (!p.getKey().equals("sslpassword")) { // a secret too
        b.append(sep).append(p.getKey()).append('=').append(p.getValue());
        sep = '&';
      }
    }
    return b.toString();
  }
}
