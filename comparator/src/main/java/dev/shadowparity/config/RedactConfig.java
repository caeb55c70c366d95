package dev.shadowparity.config;

import java.util.List;

/**
 * The {@code redact:} block: what is masked wherever exchanges are kept (samples in reports and in the store,
 * captures). The comparison itself always sees the real values.
 *
 * @param headers     header names masked on top of Authorization, Proxy-Authorization, Cookie and Set-Cookie
 * @param fields      field names whose values are masked in bodies (JSON keys, form and query parameters), on top of
 *                    {@link #DEFAULT_FIELDS}; a name matches when a field's name, lower-cased and without
 *                    {@code _}, {@code -} and other separators, ends with it ({@code token} masks {@code csrf_token}
 *                    and {@code accessToken})
 * @param cardNumbers mask card-number-like strings anywhere in a body: 13 to 19 digits (spaces or dashes between
 *                    them allowed) that start with 2 to 6 and pass the Luhn check
 * @param pathSegments regular expressions (whole segment) of path segments that hold secrets (a reset token, an
 *                    invitation code): masked in every kept URI and named {@code {redacted}} in endpoint names, so that
 *                    none reaches a label; opt-in, since most segments are ids or words
 */
public record RedactConfig(List<String> headers, List<String> fields, Boolean cardNumbers, List<String> pathSegments) {

  /** Always masked: the usual names of credentials and payment data. */
  public static final List<String> DEFAULT_FIELDS = List.of("password", "passwd", "pass", "pwd", "passphrase", "secret",
      "token", "apikey", "auth", "sessionid", "authorization", "privatekey", "cardnumber", "cvv", "cvc", "ssn", "pin");

  public static final RedactConfig DEFAULTS = new RedactConfig(null, null, null, null);

  /** Without secret path segments. */
  public RedactConfig(List<String> headers, List<String> fields, Boolean cardNumbers) {
    this(headers, fields, cardNumbers, null);
  }

  public RedactConfig {
    headers = ConfigChecks.strings(headers, "headers");
    fields = ConfigChecks.strings(fields, "fields");
    for (int i = 0; i < fields.size(); i++) {
      if (normalize(fields.get(i)).isEmpty()) {
        throw new InvalidValueException("fields[" + i + "]", "'" + fields.get(i) + "' has no letters or digits to match");
      }
    }
    cardNumbers = cardNumbers == null || cardNumbers;
    pathSegments = ConfigChecks.strings(pathSegments, "path-segments");
    for (int i = 0; i < pathSegments.size(); i++) {
      try {
        java.util.regex.Pattern.compile(pathSegments.get(i));
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new InvalidValueException("path-segments[" + i + "]", "not a valid regular expression: " + e.getDescription(), e);
      }
    }
  }

  /** The secret path segments, compiled; empty when none are configured. */
  public List<java.util.regex.Pattern> pathSegmentPatterns() {
    return pathSegments.stream().map(java.util.regex.Pattern::compile).toList();
  }

  /** A field name as matched: lower case, letters and digits only. */
  public static String normalize(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(Character.toLowerCase(c));
      }
    }
    return b.toString();
  }
}
