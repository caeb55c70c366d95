package dev.shadowparity.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * TLS to the backends, one block per backend ({@code tls: {old: {...}, new: {...}, old-secondary: {...}}}), used when
 * the backend's URL is {@code https://}. Files are checked when the config is loaded (they exist, can be read and
 * parse as PEM), so a mistake stops the tap with its file, line and key.
 *
 * @param old          OLD's
 * @param neu          NEW's
 * @param oldSecondary the secondary OLD's
 */
public record TlsConfig(Backend old, @JsonProperty("new") Backend neu, Backend oldSecondary) {

  /** No block: the JVM's trust, hostname verification on, TLS 1.2 at least. */
  public static final TlsConfig NONE = new TlsConfig(null, null, null);

  public TlsConfig {
    old = old == null ? Backend.DEFAULTS : old;
    neu = neu == null ? Backend.DEFAULTS : neu;
    oldSecondary = oldSecondary == null ? Backend.DEFAULTS : oldSecondary;
  }

  /** The TLS versions {@code min-version} may name. */
  public static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

  /**
   * One backend's TLS.
   *
   * @param caFile         a PEM bundle of CA certificates trusted on top of the JVM's default trust store
   * @param certFile       the tap's client certificate (PEM, the chain after it), for mutual TLS; with {@code key-file}
   * @param keyFile        its private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)
   * @param serverName     the name sent as SNI and verified in the backend's certificate (default: the URL's host)
   * @param verifyHostname whether the certificate must name the host (default true; false logs a warning at start)
   * @param minVersion     the lowest TLS version offered: {@code TLSv1.2} (default) or {@code TLSv1.3}
   */
  public record Backend(String caFile, String certFile, String keyFile, String serverName, Boolean verifyHostname,
      String minVersion) {

    public static final Backend DEFAULTS = new Backend(null, null, null, null, null, null);

    public Backend {
      if (caFile != null) {
        checked("ca-file", caFile, pem -> PemFiles.certificates(pem, caFile));
      }
      if ((certFile == null) != (keyFile == null)) {
        throw new InvalidValueException(certFile == null ? "cert-file" : "key-file",
            "cert-file and key-file go together (the client certificate and its private key)");
      }
      if (certFile != null) {
        X509Certificate leaf = checked("cert-file", certFile, pem -> PemFiles.certificates(pem, certFile)).get(0);
        checked("key-file", keyFile, pem -> {
          PemFiles.checkPrivateKey(pem, keyFile, leaf);
          return null;
        });
      }
      if (serverName != null && !serverName.matches("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\\.?")) {
        throw new InvalidValueException("server-name", "'" + serverName + "' must be a host name (api.internal), "
            + "without scheme or port");
      }
      verifyHostname = verifyHostname == null || verifyHostname;
      minVersion = version(minVersion, "min-version");
    }

    /** The TLS versions offered: from {@code min-version} up to TLS 1.3. */
    public Set<String> protocols() {
      return minVersion.equals("TLSv1.3") ? Set.of("TLSv1.3") : Set.of("TLSv1.2", "TLSv1.3");
    }

    /** Whether anything differs from the defaults. */
    public boolean isDefault() {
      return equals(DEFAULTS);
    }
  }

  /**
   * TLS on the proxy's listen port: a PEM certificate (its chain after it) and private key, read again when either
   * file changes (a cert-manager rotation), every {@code reload-interval}.
   *
   * @param certFile       the certificate, PEM
   * @param keyFile        its private key, PEM (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)
   * @param reloadInterval how often the files are looked at ({@code 2s} by default)
   */
  public record Listen(String certFile, String keyFile, String reloadInterval) {
    public static final String DEFAULT_RELOAD_INTERVAL = "2s";

    public Listen {
      if (certFile == null) {
        throw new InvalidValueException("cert-file", "listen-tls needs cert-file and key-file");
      }
      if (keyFile == null) {
        throw new InvalidValueException("key-file", "listen-tls needs cert-file and key-file");
      }
      X509Certificate leaf = checked("cert-file", certFile, pem -> PemFiles.certificates(pem, certFile)).get(0);
      checked("key-file", keyFile, pem -> {
        PemFiles.checkPrivateKey(pem, keyFile, leaf);
        return null;
      });
      reloadInterval = reloadInterval == null ? DEFAULT_RELOAD_INTERVAL : reloadInterval;
      TapConfig.parseDuration(reloadInterval, "reload-interval");
    }

    public Duration reloadEvery() {
      return TapConfig.parseDuration(reloadInterval, "reload-interval");
    }
  }

  static String version(String value, String key) {
    if (value == null) {
      return "TLSv1.2";
    }
    for (String v : VERSIONS) {
      if (v.equalsIgnoreCase(value.trim()) || v.substring(4).equals(value.trim())) {
        return v;
      }
    }
    throw new InvalidValueException(key, "'" + value + "' is not a TLS version the tap offers: write TLSv1.2 or TLSv1.3 "
        + "(older versions are refused)");
  }

  private interface Check<T> {
    T apply(byte[] pem);
  }

  private static <T> T checked(String key, String file, Check<T> check) {
    try {
      return check.apply(PemFiles.read(file));
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException(key, e.getMessage(), e);
    }
  }
}
