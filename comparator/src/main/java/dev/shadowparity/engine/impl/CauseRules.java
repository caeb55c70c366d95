package dev.shadowparity.engine.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.engine.Cause;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Location;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.DifferenceClassifier.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Picks the rule set for a difference by where it is (status, header, JSON member, text line, undecodable body)
 * and returns the first cause that fits. Status rules come first and give every difference of the exchange their
 * cause: once NEW crashed or refused the session, its headers and body differ because of that.
 */
public final class CauseRules {

  /** Undecodable bodies larger than this are not searched for a bytes repr. */
  static final int MAX_UNDECODABLE_BYTES = 256 * 1024;
  private static final Pattern TRUNCATED = Pattern.compile("… \\(\\d+ chars\\)$");

  private CauseRules() {}

  public static Cause classify(Difference d, Context ctx) {
    Cause status = byStatus(ctx);
    if (status != null) {
      return status;
    }
    return switch (d.kind()) {
      case ARRAY_ORDER -> Cause.ARRAY_ORDER;
      case UNDECODABLE -> d.location() instanceof Location.Body && bytesReprBreaksBody(ctx) ? Cause.BYTES_REPR : null;
      case MISSING, EXTRA -> absent(d);
      case VALUE, TYPE -> value(d, ctx);
      default -> null;
    };
  }

  /**
   * {@code new-server-error}: NEW 5xx, OLD below 500. {@code auth-rejected}: NEW 401 or 403, OLD 2xx or 3xx, and
   * the request carried credentials.
   */
  static Cause byStatus(Context ctx) {
    int o = ctx.oldStatus();
    int n = ctx.newStatus();
    if (n >= 500 && n <= 599 && o < 500) {
      return Cause.NEW_SERVER_ERROR;
    }
    if ((n == 401 || n == 403) && o >= 200 && o <= 399 && ctx.credentials()) {
      return Cause.AUTH_REJECTED;
    }
    return null;
  }

  /** A member that is null on the side that has it (JSON), or a header "None" on the side that has it. */
  private static Cause absent(Difference d) {
    String present = d.kind() == DiffKind.MISSING ? d.oldValue() : d.newValue();
    if (present == null) {
      return null;
    }
    if (isHeader(d)) {
      return present.equals("None") ? Cause.NONE_NULL_HANDLING : null;
    }
    boolean objectMember = d.location() instanceof Location.Pointer && !d.field().endsWith("/*");
    return objectMember && present.equals("null") ? Cause.NONE_NULL_HANDLING : null;
  }

  private static Cause value(Difference d, Context ctx) {
    Location where = d.location();
    if (where instanceof Location.Status) {
      return null;
    }
    if (where instanceof Location.Header) {
      String o = d.oldValue();
      String n = d.newValue();
      if (o == null || n == null || truncated(o) || truncated(n)) {
        return null;
      }
      if (noneVsEmpty(o, n)) {
        return Cause.NONE_NULL_HANDLING;
      }
      return TextCauses.classify(o, n, d.path());
    }
    if (where instanceof Location.TextLines) {
      return textLines(d.detail());
    }
    if (where instanceof Location.Pointer || where instanceof Location.Body) {
      return json(d, ctx);
    }
    return null;
  }

  private static boolean isHeader(Difference d) {
    return d.location() instanceof Location.Header;
  }

  /** One side "None", the other "None", "null" or "": a None rendered as text. */
  private static boolean noneVsEmpty(String o, String n) {
    return (o.equals("None") && (n.equals("null") || n.isEmpty())) || (n.equals("None") && (o.equals("null") || o.isEmpty()));
  }

  private static Cause json(Difference d, Context ctx) {
    JsonNode o = node(ctx.oldBody(), d.path(), d.oldValue());
    JsonNode n = node(ctx.newBody(), d.path(), d.newValue());
    if (o == null || n == null) {
      return null;
    }
    if (noneNull(o, n) || noneNull(n, o)) {
      return Cause.NONE_NULL_HANDLING;
    }
    if (d.kind() != DiffKind.VALUE) {
      return null;
    }
    String name = lastKey(d.path());
    if (o instanceof HugeNumberNode || n instanceof HugeNumberNode) {
      return null; // no arithmetic on numbers past any range: the difference stands without a likely cause
    }
    if (o.isNumber() && n.isNumber()) {
      Cause c = NumberCauses.classify(o, n);
      if (c == null && VolatileValues.epochs(plain(o), plain(n), name)) {
        c = Cause.VOLATILE_VALUE;
      }
      return c;
    }
    if (o.isTextual() && n.isTextual()) {
      return TextCauses.classify(o.textValue(), n.textValue(), name);
    }
    return null;
  }

  /** {@code a} null or "None", {@code b} null, "None", "null" or "". */
  private static boolean noneNull(JsonNode a, JsonNode b) {
    boolean aNone = a.isNull() || (a.isTextual() && a.textValue().equals("None"));
    boolean bEmpty = b.isNull() || (b.isTextual()
        && (b.textValue().equals("None") || b.textValue().equals("null") || b.textValue().isEmpty()));
    return aNone && bEmpty;
  }

  private static String plain(JsonNode number) {
    return number.isBigDecimal() ? number.decimalValue().toPlainString() : number.asText();
  }

  /** The node at the pointer in the decoded tree, else the rendered value parsed back; null when neither works. */
  private static JsonNode node(DecodedBody body, String pointer, String rendered) {
    if (body != null && body.json() != null) {
      JsonNode n = body.json().at(pointer);
      if (!n.isMissingNode()) {
        return n;
      }
    }
    if (rendered == null || truncated(rendered)) {
      return null;
    }
    try {
      return CanonicalJson.read(rendered);
    } catch (JsonProcessingException notJson) {
      return null; // a rendered value that is not JSON (e.g. a body summary): nothing to classify
    }
  }

  private static String lastKey(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash < 0 ? null : pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
  }

  private static boolean truncated(String value) {
    return value.endsWith(" chars)") && TRUNCATED.matcher(value).find();
  }

  /**
   * A text body diff: every changed line pairs with one new line (blocks of as many removed as added lines) and
   * every pair has the same cause. Read from the unified diff, which holds all changes unless it was cut.
   */
  static Cause textLines(String unifiedDiff) {
    if (unifiedDiff == null) {
      return null;
    }
    Cause cause = null;
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    String[] lines = unifiedDiff.split("\n", -1);
    int start = lines.length > 1 && lines[0].startsWith("--- ") && lines[1].startsWith("+++ ") ? 2 : 0;
    for (int i = start; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i] : " ";
      if (line.startsWith("... ")) {
        return null; // the diff was cut: unseen changes could have another cause
      }
      if (line.startsWith("-")) {
        removed.add(line.substring(1));
      } else if (line.startsWith("+")) {
        added.add(line.substring(1));
      } else {
        if (removed.size() != added.size()) {
          return null;
        }
        for (int k = 0; k < removed.size(); k++) {
          if (removed.get(k).equals(added.get(k))) {
            continue;
          }
          Cause c = TextCauses.classify(removed.get(k), added.get(k), null);
          if (c == null || (cause != null && c != cause)) {
            return null;
          }
          cause = c;
        }
        removed.clear();
        added.clear();
      }
    }
    return cause;
  }

  /**
   * NEW's body did not decode while OLD's did, and NEW's text with every bytes repr unwrapped is OLD's text, or
   * the same JSON ({@code "b"Baker's Dozen""} breaking a hand-templated JSON document).
   */
  static boolean bytesReprBreaksBody(Context ctx) {
    DecodedBody o = ctx.oldBody();
    DecodedBody n = ctx.newBody();
    if (o == null || n == null || !o.isDecoded() || n.isDecoded() || n.bytes().length > MAX_UNDECODABLE_BYTES) {
      return false;
    }
    String oldText = o.text();
    String newText = strictUtf8(n.bytes());
    if (oldText == null || newText == null) {
      return false;
    }
    String unwrapped = TextCauses.unwrapBytesRepr(newText);
    if (unwrapped == null) {
      return false;
    }
    if (unwrapped.equals(oldText)) {
      return true;
    }
    if (o.json() == null) {
      return false;
    }
    try {
      return CanonicalJson.read(unwrapped).equals(o.json());
    } catch (JsonProcessingException stillInvalid) {
      return false; // unwrapping did not repair it: something else broke the body
    }
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException notUtf8) {
      return null; // not text: no repr to find
    }
  }
}
