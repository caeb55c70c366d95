package dev.shadowparity.http;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Tells a TLS failure from other backend failures and says its reason in words: the certificate expired or is not yet
 * valid, its CA is unknown, it names another host, the backend requires or refused the tap's client certificate, the
 * two sides share no protocol version, or another handshake failure. The JDK's own message follows the reason, so
 * nothing it said is lost.
 */
public final class TlsFailure {

  private TlsFailure() {}

  /** The reason, e.g. {@code "certificate expired: ..."}, or {@code null} when {@code t} is no TLS failure. */
  public static String reason(Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    String generic = null;
    for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
      String specific = specific(c);
      if (specific != null) {
        return specific + ": " + innermostMessage(t);
      }
      // only a failed handshake, or an answer that is not TLS at all, is a TLS failure: an SSLException after the
      // handshake (an engine closed under a pooled keep-alive connection, a bad record) is the connection going
      // away, a reset, as it would be over plain TCP
      if (generic == null && c instanceof SSLException && (c instanceof javax.net.ssl.SSLHandshakeException
          || c.getClass().getSimpleName().equals("NotSslRecordException"))) {
        generic = c.getClass().getSimpleName().equals("NotSslRecordException")
            ? "not TLS (the backend answered in plain text)"
            : c.getClass().getSimpleName().equals("SslHandshakeTimeoutException") ? "handshake timed out" : "handshake failure";
      }
    }
    return generic == null ? null : generic + ": " + innermostMessage(t);
  }

  private static String specific(Throwable c) {
    if (c instanceof CertificateExpiredException) {
      return "certificate expired";
    }
    if (c instanceof CertificateNotYetValidException) {
      return "certificate not yet valid";
    }
    if (c instanceof CertPathValidatorException v) {
      if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
        return "certificate expired";
      }
      if (v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
        return "certificate not yet valid";
      }
    }
    String msg = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
    if (c.getClass().getSimpleName().equals("SunCertPathBuilderException")
        || msg.contains("unable to find valid certification path")) {
      return "unknown CA (unable to find a certification path to a trusted CA)";
    }
    if (msg.contains("no subject alternative") || msg.contains("no name matching")) {
      return "name mismatch (the certificate names another host)";
    }
    if (msg.contains("received fatal alert: certificate_required")) {
      return "client certificate required (the backend asked for one; set cert-file and key-file)";
    }
    if (msg.contains("received fatal alert: bad_certificate") || msg.contains("received fatal alert: unknown_ca")
        || msg.contains("received fatal alert: certificate_unknown") || msg.contains("received fatal alert: access_denied")
        || msg.contains("received fatal alert: unsupported_certificate")
        || msg.contains("received fatal alert: certificate_revoked")
        || msg.contains("received fatal alert: certificate_expired")) {
      return "client certificate refused or missing (the backend requires one it trusts: see cert-file, key-file)";
    }
    if (msg.contains("protocol_version") || msg.contains("no appropriate protocol")
        || msg.contains("protocol is disabled or cipher suites are inappropriate")) {
      return "protocol version (the tap and the backend share no TLS version; see min-version)";
    }
    if (msg.contains("received fatal alert: handshake_failure")) {
      return "handshake failure (the backend refused the handshake: no common cipher or version, or a client "
          + "certificate it requires)";
    }
    return null;
  }

  /** The deepest message in the chain: the JDK's own words (Netty and Vert.x wrap them in theirs). */
  private static String innermostMessage(Throwable t) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    String message = String.valueOf(t.getMessage());
    for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
      if (c.getMessage() != null) {
        message = c.getMessage();
      }
    }
    return message;
  }
}
