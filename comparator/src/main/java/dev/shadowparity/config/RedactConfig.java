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
 */
public record RedactConfig(List<String> headers, List<String> fields, Boolean cardNumbers) {

  /** Always masked: the usual names of credentials and payment data. */
  public static final List<String> DEFAULT_FIELDS = List.of("password", "passwd", "secret", "token", "apikey", "sessionid",
      "authorization", "privatekey", "cardnumber", "cvv", "cvc", "ssn");

  public static final RedactConfig DEFAULTS = new RedactConfig(null, null, null);

  public RedactConfig {
    headers = ConfigChecks.strings(headers, "headers");
    fields = ConfigChecks.strings(fields, "fields");
    for (int i = 0; i < fields.size(); i++) {
      if (normalize(fields.get(i)).isEmpty()) {
        throw new InvalidValueException("fields[" + i + "]", "'" + fields.get(i) + "' has no letters or digits to match");
      }
    }
    cardNumbers = cardNumbers == null || cardNumbers;
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
