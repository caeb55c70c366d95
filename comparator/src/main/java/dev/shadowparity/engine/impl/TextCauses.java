package dev.shadowparity.engine.impl;

import dev.shadowparity.engine.Cause;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules on two texts that differ (JSON strings, header values, changed lines of a text body). Each rule rewrites
 * one or both sides in one strict way and fits only when that makes them equal; none fits two texts that are
 * equal. Texts longer than {@link #MAX_CHARS} are not looked at.
 *
 * <p>Why one file of this length: each text cause is a small predicate over the two strings, listed together so that
 * their order (the first that fits wins) is seen at once.
 */
final class TextCauses {

  /** Longer texts are left unclassified: classification must stay cheap. */
  static final int MAX_CHARS = 64 * 1024;

  /** Not preceded by a letter, digit or underscore: {@code b'x'} counts, {@code Bob'x'} does not. */
  private static final String START = "(?<![\\p{L}\\p{N}_])";
  /** A Python single- or double-quoted literal body, escapes allowed, on one line. */
  private static final String QUOTED = "('(?:[^'\\\\\\n]|\\\\.)*'|\"(?:[^\"\\\\\\n]|\\\\.)*\")";
  private static final Pattern BYTES_REPR = Pattern.compile(START + "b" + QUOTED);
  private static final Pattern UNICODE_REPR = Pattern.compile(START + "u" + QUOTED);
  private static final Pattern HEX_LONG = Pattern.compile(START + "(-?0[xX][0-9a-fA-F]+)L(?![\\p{L}\\p{N}_])");
  /** A decimal long inside a container repr: {@code (1L, 'a')}, {@code [3L]}, {@code {'n': 2L}}. */
  private static final Pattern CONTAINER_LONG = Pattern.compile("(?:(?<=[\\[({])|(?<=[,:] ))(-?\\d+)L(?=[,)\\]}])");
  private static final Pattern ENTITY =
      Pattern.compile("&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos|nbsp));");
  private static final Map<String, String> NAMED =
      Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'", "nbsp", "\u00a0");
  private static final Pattern NUMBER =
      Pattern.compile("(?<![\\p{L}\\p{N}_.])\\d{1,40}(?:\\.\\d{1,40})?(?:[eE][+-]?\\d{1,3})?(?![\\p{L}\\p{N}_.])");

  private TextCauses() {}

  /** The cause of two differing texts, or {@code null}; {@code name} (JSON key or header name) may be null. */
  static Cause classify(String oldText, String newText, String name) {
    if (oldText.equals(newText) || oldText.length() > MAX_CHARS || newText.length() > MAX_CHARS) {
      return null;
    }
    if (floatPrecision(oldText, newText)) {
      return Cause.FLOAT_PRECISION;
    }
    if (bytesRepr(oldText, newText)) {
      return Cause.BYTES_REPR;
    }
    if (unicodeReprPrefix(oldText, newText)) {
      return Cause.UNICODE_REPR_PREFIX;
    }
    if (longSuffix(oldText, newText)) {
      return Cause.LONG_SUFFIX;
    }
    if (htmlEscaping(oldText, newText)) {
      return Cause.HTML_ESCAPING;
    }
    if (unicodeEscaping(oldText, newText)) {
      return Cause.UNICODE_ESCAPING;
    }
    if (VolatileValues.texts(oldText, newText, name)) {
      return Cause.VOLATILE_VALUE;
    }
    return null;
  }

  /** NEW with every {@code b'...'}/{@code b"..."} replaced by its decoded content equals OLD. */
  static boolean bytesRepr(String oldText, String newText) {
    String unwrapped = unwrapBytesRepr(newText);
    return unwrapped != null && sameText(unwrapped, oldText);
  }

  /**
   * The text with each Python bytes repr replaced by the text it holds (UTF-8), or {@code null} when there is
   * none or one is not a valid repr (non-ASCII inside, an unknown escape, bytes that are not UTF-8).
   */
  static String unwrapBytesRepr(String text) {
    Matcher m = BYTES_REPR.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    boolean any = false;
    while (m.find()) {
      String literal = m.group(1);
      String content = decodeBytesLiteral(literal.substring(1, literal.length() - 1));
      if (content == null) {
        return null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(content));
      any = true;
    }
    if (!any) {
      return null;
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String decodeBytesLiteral(String body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return null; // a bytes repr escapes everything outside printable ASCII
      }
      if (c != '\\') {
        bytes.write(c);
        continue;
      }
      char e = ++i < body.length() ? body.charAt(i) : 0;
      switch (e) {
        case '\\', '\'', '"' -> bytes.write(e);
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'x' -> {
          int v = hex2(body, i + 1);
          if (v < 0) {
            return null;
          }
          bytes.write(v);
          i += 2;
        }
        default -> {
          return null;
        }
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException notUtf8) {
      return null; // not text in a bytes literal: not the leak this rule is about
    }
  }

  /** Two hex digits at {@code at}, or -1. */
  private static int hex2(String s, int at) {
    if (at + 2 > s.length()) {
      return -1;
    }
    int hi = Character.digit(s.charAt(at), 16);
    int lo = Character.digit(s.charAt(at + 1), 16);
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  /** OLD with the {@code u} of every {@code u'...'}/{@code u"..."} dropped equals NEW. */
  static boolean unicodeReprPrefix(String oldText, String newText) {
    Matcher m = UNICODE_REPR.matcher(oldText);
    if (!m.find()) {
      return false;
    }
    return m.replaceAll("$1").equals(newText);
  }

  /**
   * OLD with the Python 2 long suffix dropped equals NEW: {@code 0x1fL} anywhere (hex() of a long), a decimal
   * {@code 12L} only inside a container repr ({@code (12L, 'a')}), never a bare {@code 10L} (ten litres).
   */
  static boolean longSuffix(String oldText, String newText) {
    String dropped = HEX_LONG.matcher(oldText).replaceAll("$1");
    dropped = CONTAINER_LONG.matcher(dropped).replaceAll("$1");
    return !dropped.equals(oldText) && dropped.equals(newText);
  }

  /** Equal after HTML-unescaping both once (numeric references and amp, lt, gt, quot, apos, nbsp). */
  static boolean htmlEscaping(String oldText, String newText) {
    String a = htmlUnescape(oldText);
    String b = htmlUnescape(newText);
    return !oldText.equals(newText) && a.equals(b);
  }

  /** The text with character references replaced; the same instance when there is none. */
  static String htmlUnescape(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = ENTITY.matcher(text);
    StringBuilder out = null;
    while (m.find()) {
      String replacement;
      if (m.group(3) != null) {
        replacement = NAMED.get(m.group(3));
      } else {
        int cp = m.group(1) != null ? Integer.parseInt(m.group(1)) : Integer.parseInt(m.group(2), 16);
        if (!Character.isValidCodePoint(cp) || (cp >= 0xd800 && cp <= 0xdfff)) {
          continue;
        }
        replacement = new String(Character.toChars(cp));
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    if (out == null) {
      return text;
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Equal after decoding backslash escapes left in the text ({@code \u00e9}, {@code \U0001F600}, runs of
   * {@code \xc3\xa9} read as UTF-8 when they are, else as Latin-1) and Unicode NFC on both sides.
   */
  static boolean unicodeEscaping(String oldText, String newText) {
    return !oldText.equals(newText)
        && CanonicalJson.nfc(decodeEscapes(oldText)).equals(CanonicalJson.nfc(decodeEscapes(newText)));
  }

  static String decodeEscapes(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n && text.charAt(i + 1) == 'x' && hex2(text, i + 2) >= 0) {
        run.write(hex2(text, i + 2));
        i += 4;
        continue;
      }
      flushBytes(run, out);
      if (c == '\\' && i + 1 < n && text.charAt(i + 1) == 'u' && isHex(text, i + 2, 4)) {
        out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
        i += 6;
      } else if (c == '\\' && i + 1 < n && text.charAt(i + 1) == 'U' && isHex(text, i + 2, 8)
          && Character.isValidCodePoint((int) Long.parseLong(text.substring(i + 2, i + 10), 16))) {
        out.appendCodePoint((int) Long.parseLong(text.substring(i + 2, i + 10), 16));
        i += 10;
      } else {
        out.append(c);
        i++;
      }
    }
    flushBytes(run, out);
    return out.toString();
  }

  private static void flushBytes(ByteArrayOutputStream run, StringBuilder out) {
    if (run.size() == 0) {
      return;
    }
    byte[] bytes = run.toByteArray();
    run.reset();
    try {
      out.append(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)));
    } catch (CharacterCodingException notUtf8) {
      out.append(new String(bytes, StandardCharsets.ISO_8859_1)); // Python 2 unicode repr: \xNN is a code point
    }
  }

  private static boolean isHex(String s, int from, int count) {
    if (from + count > s.length()) {
      return false;
    }
    for (int i = from; i < from + count; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The texts are equal except for numbers, and each differing number is Python 2's {@code str()} of NEW's
   * float: OLD has at most 12 significant digits, NEW 13 to 17, and NEW's float rounded to 12 significant digits
   * (as {@code '%.12g'}) is OLD.
   */
  static boolean floatPrecision(String oldText, String newText) {
    Matcher a = NUMBER.matcher(oldText);
    Matcher b = NUMBER.matcher(newText);
    int pa = 0;
    int pb = 0;
    boolean any = false;
    while (true) {
      boolean fa = a.find();
      boolean fb = b.find();
      if (fa != fb) {
        return false;
      }
      if (!fa) {
        break;
      }
      if (!oldText.substring(pa, a.start()).equals(newText.substring(pb, b.start()))) {
        return false;
      }
      if (!a.group().equals(b.group())) {
        if (!NumberCauses.py2StrOfFloat(a.group(), b.group())) {
          return false;
        }
        any = true;
      }
      pa = a.end();
      pb = b.end();
    }
    return any && oldText.substring(pa).equals(newText.substring(pb));
  }

  /** Equal, or equal in NFC. */
  static boolean sameText(String a, String b) {
    return a.equals(b) || CanonicalJson.nfc(a).equals(CanonicalJson.nfc(b));
  }
}
