package dev.shadowparity.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A protobuf message read without its schema, by field number, as a JSON object: {@code {"1": 42, "2": {"3": "ok"}}}.
 * Varints are unsigned integers (a negative {@code int64} shows as its two's complement, a {@code sint} zigzagged);
 * {@code fixed32} and {@code fixed64} unsigned integers (a {@code float} or {@code double} shows its bits); a
 * length-delimited field is a string when it is printable UTF-8, else a nested message when it parses as one, else
 * its bytes in base64. A field number seen more than once is an array. Nesting is read at most {@link #MAX_DEPTH}
 * levels deep; deeper, the bytes are kept as base64. Keys are sorted by number.
 */
public final class RawWire {

  /** Nested messages read at most this deep. */
  public static final int MAX_DEPTH = 32;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private RawWire() {}

  /** The message as JSON, or {@code null} when its bytes are not a protobuf message. */
  public static ObjectNode read(byte[] message) {
    return message(message, 0, message.length, 0);
  }

  private static ObjectNode message(byte[] b, int from, int to, int depth) {
    Map<Integer, java.util.List<JsonNode>> fields = new TreeMap<>();
    int[] pos = {from};
    while (pos[0] < to) {
      long tag = varint(b, pos, to);
      if (pos[0] < 0 || tag < 0 || tag > 0xffffffffL) {
        return null;
      }
      int number = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (number <= 0 || number > 536_870_911) {
        return null;
      }
      JsonNode value;
      switch (wireType) {
        case 0: {
          long v = varint(b, pos, to);
          if (pos[0] < 0) {
            return null;
          }
          value = unsigned(v);
          break;
        }
        case 1:
          if (to - pos[0] < 8) {
            return null;
          }
          value = unsigned(ByteBuffer.wrap(b, pos[0], 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
          pos[0] += 8;
          break;
        case 5:
          if (to - pos[0] < 4) {
            return null;
          }
          value = NODES.numberNode(ByteBuffer.wrap(b, pos[0], 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL);
          pos[0] += 4;
          break;
        case 2: {
          long len = varint(b, pos, to);
          if (pos[0] < 0 || len < 0 || len > to - pos[0]) {
            return null;
          }
          int start = pos[0];
          int end = start + (int) len;
          value = lengthDelimited(b, start, end, depth);
          pos[0] = end;
          break;
        }
        default:
          return null; // groups (3, 4) are deprecated and 6, 7 do not exist
      }
      fields.computeIfAbsent(number, k -> new java.util.ArrayList<>(1)).add(value);
    }
    ObjectNode o = NODES.objectNode();
    for (Map.Entry<Integer, java.util.List<JsonNode>> e : fields.entrySet()) {
      if (e.getValue().size() == 1) {
        o.set(Integer.toString(e.getKey()), e.getValue().get(0));
      } else {
        ArrayNode a = NODES.arrayNode(e.getValue().size());
        e.getValue().forEach(a::add);
        o.set(Integer.toString(e.getKey()), a);
      }
    }
    return o;
  }

  private static JsonNode lengthDelimited(byte[] b, int start, int end, int depth) {
    String text = printable(b, start, end);
    if (text != null) {
      return NODES.textNode(text);
    }
    if (depth + 1 < MAX_DEPTH && end > start) {
      ObjectNode nested = message(b, start, end, depth + 1);
      if (nested != null) {
        return nested;
      }
    }
    return NODES.textNode(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(b, start, end)));
  }

  /** The bytes as text when they are valid UTF-8 without control characters (tab, CR and LF allowed), else null. */
  static String printable(byte[] b, int start, int end) {
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, start, end - start)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
        return null;
      }
    }
    return dev.shadowparity.engine.impl.CanonicalJson.nfc(s);
  }

  private static JsonNode unsigned(long v) {
    return v >= 0 ? NODES.numberNode(v) : NODES.numberNode(BigInteger.valueOf(v).add(TWO_64));
  }

  /** A varint at {@code pos[0]}; on a malformed or cut one, sets {@code pos[0]} to -1 and returns -1. */
  private static long varint(byte[] b, int[] pos, int to) {
    long result = 0;
    int p = pos[0];
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= to) {
        pos[0] = -1;
        return -1;
      }
      int x = b[p++];
      result |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        pos[0] = p;
        return result;
      }
    }
    pos[0] = -1;
    return -1;
  }
}
