package dev.shadowparity.engine.impl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;


/**
 * A JSON number that neither a double nor a BigDecimal holds ({@code 1e9999999999}: its exponent is past an
 * int's range). It is kept as canonical text, {@code [-]DIGITSeEXPONENT} with no leading or trailing zero digit
 * and the exponent exact, so that two such numbers are equal exactly when they are the same number
 * ({@code 1e9999999999} and {@code 10.0e9999999998}). It never equals an ordinary number, which differs from it
 * by orders of magnitude no double can span.
 */
final class HugeNumberNode extends NumericNode {

  private static final long serialVersionUID = 1L;
  /**
   * Decimal exponents beyond this (either way) make a number huge: far past a double's range (about 308), and
   * still cheap to add or subtract as a BigDecimal (a result of at most this many digits).
   */
  static final int MAX_EXPONENT = 10_000;

  private final String text;
  private final String canonical;

  private HugeNumberNode(String text, String canonical) {
    this.text = text;
    this.canonical = canonical;
  }

  /**
   * The node for a JSON number's text, which must be valid JSON number syntax: a huge number, or zero when it is
   * one ({@code 0e9999999999} is 0, equal to every other spelling of zero).
   */
  static NumericNode of(String text) {
    String canonical = canonical(text);
    if (canonical.equals("0")) {
      return com.fasterxml.jackson.databind.node.DecimalNode.valueOf(java.math.BigDecimal.ZERO);
    }
    return new HugeNumberNode(text, canonical);
  }

  /** {@code [-]DIGITSeEXPONENT}, digits without leading or trailing zeros; {@code 0} for zero. */
  static String canonical(String number) {
    String s = number.trim();
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    int e = indexOfExponent(s);
    String mantissa = e < 0 ? s : s.substring(0, e);
    BigInteger exponent = e < 0 ? BigInteger.ZERO : new BigInteger(stripPlus(s.substring(e + 1)));
    int dot = mantissa.indexOf('.');
    String digits = dot < 0 ? mantissa : mantissa.substring(0, dot) + mantissa.substring(dot + 1);
    if (dot >= 0) {
      exponent = exponent.subtract(BigInteger.valueOf(mantissa.length() - dot - 1L));
    }
    int first = 0;
    while (first < digits.length() && digits.charAt(first) == '0') {
      first++;
    }
    int end = digits.length();
    while (end > first && digits.charAt(end - 1) == '0') {
      end--;
    }
    if (first == end) {
      return "0";
    }
    exponent = exponent.add(BigInteger.valueOf(digits.length() - end));
    return (negative ? "-" : "") + digits.substring(first, end) + "e" + exponent;
  }

  private static int indexOfExponent(String s) {
    int e = s.indexOf('e');
    return e >= 0 ? e : s.indexOf('E');
  }

  private static String stripPlus(String s) {
    return s.startsWith("+") ? s.substring(1) : s;
  }

  /** The canonical text: equal for equal numbers. */
  String canonical() {
    return canonical;
  }

  @Override
  public JsonToken asToken() {
    return JsonToken.VALUE_NUMBER_FLOAT;
  }

  @Override
  public JsonParser.NumberType numberType() {
    return JsonParser.NumberType.BIG_DECIMAL;
  }

  @Override
  public Number numberValue() {
    return doubleValue();
  }

  @Override
  public int intValue() {
    return (int) doubleValue();
  }

  @Override
  public long longValue() {
    return (long) doubleValue();
  }

  /** The nearest double: an infinity for a huge magnitude, a zero for a tiny one. */
  @Override
  public double doubleValue() {
    boolean negative = canonical.startsWith("-");
    boolean tiny = canonical.contains("e-");
    double magnitude = tiny ? 0.0 : Double.POSITIVE_INFINITY;
    return negative ? -magnitude : magnitude;
  }

  /** No BigDecimal holds this number. */
  @Override
  public BigDecimal decimalValue() {
    throw new ArithmeticException("the number " + abbreviated() + " is beyond BigDecimal's range");
  }

  @Override
  public BigInteger bigIntegerValue() {
    throw new ArithmeticException("the number " + abbreviated() + " is beyond BigInteger's practical range");
  }

  @Override
  public boolean canConvertToInt() {
    return false;
  }

  @Override
  public boolean canConvertToLong() {
    return false;
  }

  @Override
  public boolean isNaN() {
    return false;
  }

  @Override
  public String asText() {
    return text;
  }

  private String abbreviated() {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  @Override
  public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
    g.writeNumber(text);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HugeNumberNode h && h.canonical.equals(canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }

}
