package dev.shadowparity.noise;

import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * When two requests are the same request, so that two answers of OLD to them may teach noise: the same endpoint,
 * method, target and body, and the same values of every request header that can change the answer. Those are the
 * headers that select a representation, a user or a site ({@link #ALWAYS}), every conditional or range header ({@code If-*},
 * {@code Range}), every {@code Accept*}, and whatever OLD's answer names in {@code Vary}. An answer that varies on
 * {@code *} has no identity: it never teaches noise.
 *
 * <p>The identity is a SHA-256 digest of all of that (a 32-bit hash would let two different requests pair up, and
 * their different answers pass for noise). Credentials and cookies go into the digest only: the key kept in memory
 * holds no header value.
 */
public final class RequestIdentity {

  /** Request headers that are always part of a request's identity, besides {@code If-*} and {@code Accept*}. */
  static final Set<String> ALWAYS = Set.of("authorization", "cookie", "origin", "range", "content-type",
      "access-control-request-method", "access-control-request-headers", "x-http-method-override",
      // the virtual host or tenant: OLD gets the client's Host by default, and two hosts on one path are two sites
      "host", "x-forwarded-host", "forwarded", "x-forwarded-proto");

  private RequestIdentity() {}

  /**
   * The identity of a request as OLD answered it, or {@code null} when the answer varies on {@code *}.
   *
   * @param answerHeaders OLD's answer's headers, for its {@code Vary}
   */
  public static String of(String endpoint, RecordedRequest request, Headers answerHeaders) {
    Set<String> varied = new TreeSet<>();
    for (String v : answerHeaders.getAll("vary")) {
      for (String token : v.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (name.equals("*")) {
          return null;
        }
        if (!name.isEmpty()) {
          varied.add(name);
        }
      }
    }
    MessageDigest sha = sha256();
    field(sha, endpoint);
    field(sha, request.method());
    field(sha, request.uri());
    field(sha, String.join(",", varied)); // answers that vary on different headers never pair up
    List<String> named = new ArrayList<>();
    Headers headers = request.headers();
    List<Map.Entry<String, String>> entries = headers.entries();
    for (int i = 0; i < entries.size(); i++) {
      String name = headers.lowerCaseName(i);
      if (selects(name) || varied.contains(name)) {
        named.add(name + ":" + entries.get(i).getValue().trim());
      }
    }
    named.sort(null); // by name, then value: the order the client sent them in does not make another request
    field(sha, Integer.toString(named.size()));
    named.forEach(h -> field(sha, h));
    sha.update(request.body());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
  }

  /** Whether a request header (lower case) can select another answer whatever the answer says. */
  static boolean selects(String name) {
    return ALWAYS.contains(name) || name.startsWith("if-") || name.startsWith("accept");
  }

  /** A length-prefixed field, so that no two sequences of fields digest alike. */
  private static void field(MessageDigest sha, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) (b.length >>> 24));
    sha.update((byte) (b.length >>> 16));
    sha.update((byte) (b.length >>> 8));
    sha.update((byte) b.length);
    sha.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
