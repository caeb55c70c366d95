package dev.shadowparity.engine.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.text.Normalizer;

/**
 * Reads JSON into its canonical tree in one pass: object keys in Unicode NFC (string values are compared
 * in NFC by {@link JsonDiffer}, lazily), integers as
 * long or BigInteger, fractions as exact BigDecimal (scale kept, so {@code 3.0} still shows as such),
 * {@code NaN} and {@code Infinity} accepted as Python's json module writes them. Duplicate keys: the last
 * wins, as in Python. Object key order is kept for display but never matters for comparison.
 */
public final class CanonicalJson {

  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CanonicalJson() {}

  /** Parses UTF-8 (or UTF-16/32, detected by Jackson) bytes. */
  public static JsonNode read(byte[] bytes) throws JsonProcessingException {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      return readWhole(p);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (java.io.CharConversionException e) {
      // Jackson's UTF-32 reader meets a code point past U+10FFFF: bytes that are not JSON text, like invalid UTF-8
      throw new com.fasterxml.jackson.core.JsonParseException(null, e.getMessage(), e);
    } catch (IOException e) {
      // byte-array input does no I/O; anything else is a parse failure
      throw new IllegalStateException("unexpected I/O reading an in-memory buffer", e);
    }
  }

  /** Parses text already decoded from its charset. */
  public static JsonNode read(String text) throws JsonProcessingException {
    try (JsonParser p = FACTORY.createParser(text)) {
      return readWhole(p);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("unexpected I/O reading an in-memory string", e);
    }
  }

  private static JsonNode readWhole(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "no JSON value (only white space)");
    }
    JsonNode root = readValue(p, t);
    if (p.nextToken() != null) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected data after the JSON value");
    }
    return root;
  }

  private static JsonNode readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        String name;
        while ((name = p.nextFieldName()) != null) {
          o.set(nfc(name), readValue(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          a.add(readValue(p, t));
        }
        return a;
      }
      case VALUE_STRING:
        // values are compared in NFC lazily (JsonDiffer): equal strings, the common case, need no pass
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        // integers have at most Jackson's 1,000 digits (StreamReadConstraints): arithmetic on them stays cheap
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? NODES.numberNode(p.getBigIntegerValue())
            : NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        if (p.isNaN()) {
          return NODES.numberNode(p.getDoubleValue());
        }
        // DecimalNode directly: the factory may strip trailing zeros, and 3.0 must still show as 3.0
        java.math.BigDecimal d;
        try {
          d = p.getDecimalValue();
        } catch (NumberFormatException | ArithmeticException e) {
          // an exponent past an int (1e9999999999): no BigDecimal holds it, so it is compared by canonical text
          return HugeNumberNode.of(p.getText());
        }
        if (Math.abs((long) d.precision() - d.scale() - 1) > HugeNumberNode.MAX_EXPONENT
            || Math.abs((long) d.scale()) > HugeNumberNode.MAX_EXPONENT) {
          // a BigDecimal holds 1e300000000 (and 0e-300000000), but subtracting it from 1.5 builds a number of 300
          // million digits; zero comes back as plain zero
          return HugeNumberNode.of(p.getText());
        }
        return DecimalNode.valueOf(d);
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
    }
  }

  /** Parses text known to be valid JSON (test data, constants); an invalid one is a programming error. */
  public static JsonNode read0(String text) {
    try {
      return read(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + text, e);
    }
  }

  /** NFC form of a string; strings below U+0300 (all ASCII and Latin-1) are NFC already and returned as is. */
  public static String nfc(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= '\u0300') {
        return Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
      }
    }
    return s;
  }
}
