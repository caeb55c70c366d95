package dev.shadowparity.http;

import java.net.URI;
import java.util.Locale;

/** A backend's base URL, split for the HTTP client: host, port, TLS and a path prefix. */
public record Backend(String name, String host, int port, boolean ssl, String basePath) {

  public static Backend parse(String name, String url) {
    URI uri = URI.create(url);
    boolean ssl = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Backend(name, uri.getHost(), port, ssl, path);
  }

  /** The authority as a Host header would carry it. */
  public String authority() {
    boolean defaultPort = (!ssl && port == 80) || (ssl && port == 443);
    return defaultPort ? host : host + ":" + port;
  }
}
