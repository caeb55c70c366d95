package dev.shadowparity.http;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP version the tap speaks to one backend (config {@code protocol:}): {@code http/1.1} (the default),
 * {@code h2c} (HTTP/2 over plain TCP with prior knowledge: no upgrade round trip), {@code h2} (HTTP/2 over TLS,
 * negotiated by ALPN, and nothing else accepted) or {@code auto} (ALPN offering {@code h2} and {@code http/1.1} over
 * TLS, the server choosing; HTTP/1.1 over plain TCP). See docs/protocols.md.
 */
public enum BackendProtocol {
  /** HTTP/1.1 whatever the scheme (the default: what the tap always spoke). */
  HTTP_1_1("http/1.1"),
  /** HTTP/2 over plain TCP, with prior knowledge; needs an {@code http://} backend. */
  H2C("h2c"),
  /** HTTP/2 over TLS via ALPN, HTTP/1.1 refused; needs an {@code https://} backend. */
  H2("h2"),
  /** Over TLS: ALPN offers h2 then http/1.1; over plain TCP: HTTP/1.1. */
  AUTO("auto");

  private final String wireName;

  BackendProtocol(String wireName) {
    this.wireName = wireName;
  }

  /** As written in the config. */
  public String wireName() {
    return wireName;
  }

  /** A config value (any case), or null when it names no protocol. */
  public static BackendProtocol parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (BackendProtocol p : values()) {
      if (p.wireName.equals(v)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Why this protocol cannot reach a backend of this scheme, or null when it can: h2c is HTTP/2 without TLS, h2 is
   * HTTP/2 negotiated in TLS.
   */
  public String mismatch(boolean ssl) {
    if (this == H2C && ssl) {
      return "h2c is HTTP/2 without TLS, but the backend is https:// (use h2 or auto)";
    }
    if (this == H2 && !ssl) {
      return "h2 is HTTP/2 negotiated in TLS, but the backend is http:// (use h2c for HTTP/2 without TLS)";
    }
    return null;
  }

  /** Sets {@code options} (a backend client's) to speak this protocol to a backend of this scheme; returns them. */
  public HttpClientOptions apply(HttpClientOptions options, boolean ssl) {
    switch (this) {
      case H2C -> options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false).setUseAlpn(false);
      case H2 -> options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2));
      case AUTO -> {
        if (ssl) {
          options.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true)
              .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
        } else {
          options.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
      }
      default -> options.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    return options;
  }

  /** Whether requests may reach the backend over HTTP/2 (then its pool is sized in HTTP/2 connections too). */
  public boolean mayUseHttp2(boolean ssl) {
    return this == H2C || this == H2 || (this == AUTO && ssl);
  }
}
