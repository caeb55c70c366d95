package dev.shadowparity.engine.impl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.engine.Cause;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Rules on two JSON numbers that differ. A number's literal matters, as in the canonical tree: an integer
 * literal ({@code 937}) is a Python int, one with a fraction or exponent ({@code 937.5}, {@code 3.0},
 * {@code 1.2e+16}) a Python float.
 */
final class NumberCauses {

  /** Above this the spacing of doubles is at least 1: a float holds no fraction. */
  private static final BigInteger TWO_TO_53 = BigInteger.ONE.shiftLeft(53);
  /** The largest divisor looked for when checking that a float is a quotient of integers. */
  static final long MAX_DIVISOR = 1_000_000;
  private static final MathContext TWELVE_DIGITS = new MathContext(12, RoundingMode.HALF_EVEN);

  private NumberCauses() {}

  static Cause classify(JsonNode oldNumber, JsonNode newNumber) {
    if (integerDivision(oldNumber, newNumber)) {
      return Cause.INTEGER_DIVISION;
    }
    if (roundHalfEven(oldNumber, newNumber)) {
      return Cause.ROUND_HALF_EVEN;
    }
    if (isFloat(oldNumber) && isFloat(newNumber)
        && py2StrOfFloat(oldNumber.decimalValue(), newNumber.decimalValue())) {
      return Cause.FLOAT_PRECISION;
    }
    return null;
  }

  /** A number written with a fraction or an exponent (a Python float), not NaN or Infinity. */
  static boolean isFloat(JsonNode n) {
    return n.isBigDecimal();
  }

  /**
   * OLD is an int, NEW a float, and NEW is what true division gives where floor division gave OLD:
   * <ul>
   *   <li>below 2^53: NEW has a fraction, floor(NEW) = OLD, and NEW is the double nearest to p/q for some
   *       integers p and 2 &lt;= q &lt;= {@value #MAX_DIVISOR} (so {@code 937.5}, {@code 0.3333333333333333}, not
   *       {@code 937.1234567891});</li>
   *   <li>from 2^53 on, where a double holds no fraction: NEW is within half a unit in the last place of
   *       [OLD, OLD + 1] ({@code 12345678901234567} vs {@code 1.2345678901234568e+16}).</li>
   * </ul>
   */
  static boolean integerDivision(JsonNode oldNumber, JsonNode newNumber) {
    if (!oldNumber.isIntegralNumber() || !isFloat(newNumber)) {
      return false;
    }
    BigInteger floor = oldNumber.bigIntegerValue();
    double x = newNumber.decimalValue().doubleValue();
    if (!Double.isFinite(x)) {
      return false;
    }
    BigDecimal exact = new BigDecimal(x);
    if (floor.abs().compareTo(TWO_TO_53) >= 0) {
      BigDecimal halfUlp = new BigDecimal(Math.ulp(x)).divide(BigDecimal.valueOf(2));
      BigDecimal low = new BigDecimal(floor).subtract(halfUlp);
      BigDecimal high = new BigDecimal(floor).add(BigDecimal.ONE).add(halfUlp);
      return exact.compareTo(new BigDecimal(floor)) != 0 && exact.compareTo(low) >= 0 && exact.compareTo(high) <= 0;
    }
    if (exact.stripTrailingZeros().scale() <= 0) {
      return false; // an integral float below 2^53 is not a quotient OLD floors
    }
    return exact.setScale(0, RoundingMode.FLOOR).toBigInteger().equals(floor) && quotientOfSmallIntegers(x);
  }

  /**
   * Whether {@code x} is the double nearest to p/q for integers p and 2 &lt;= q &lt;= {@value #MAX_DIVISOR}. Such a
   * p/q is a convergent of x's continued fraction whenever |x - p/q| &lt; 1/(2q^2), which holds for every q whose
   * square is below 1/ulp(x); at most about 30 convergents are tried.
   */
  static boolean quotientOfSmallIntegers(double x) {
    BigDecimal exact = new BigDecimal(Math.abs(x));
    BigInteger num = exact.unscaledValue();
    BigInteger den = BigInteger.TEN.pow(Math.max(0, exact.scale()));
    if (exact.scale() < 0) {
      num = num.multiply(BigInteger.TEN.pow(-exact.scale()));
    }
    BigInteger h2 = BigInteger.ZERO;
    BigInteger h1 = BigInteger.ONE;
    BigInteger k2 = BigInteger.ONE;
    BigInteger k1 = BigInteger.ZERO;
    BigInteger maxDivisor = BigInteger.valueOf(MAX_DIVISOR);
    while (den.signum() != 0) {
      BigInteger[] qr = num.divideAndRemainder(den);
      BigInteger h = qr[0].multiply(h1).add(h2);
      BigInteger k = qr[0].multiply(k1).add(k2);
      if (k.compareTo(maxDivisor) > 0) {
        return false;
      }
      if (k.compareTo(BigInteger.ONE) > 0
          && new BigDecimal(h).divide(new BigDecimal(k), MathContext.DECIMAL128).doubleValue() == Math.abs(x)) {
        return true;
      }
      h2 = h1;
      h1 = h;
      k2 = k1;
      k1 = k;
      num = den;
      den = qr[1];
    }
    return false;
  }

  /**
   * OLD is a float (Python 2's round() always gives one), NEW an int or a float, and OLD is the half-away-from-zero
   * rounding where NEW is the half-to-even one: with d the number of decimals of the longer one (trailing zeros
   * dropped, so {@code 3.0} has none), |OLD| = |NEW| + 10^-d, both of one sign (or NEW zero), and NEW's last digit
   * at d is even. {@code 3.0} vs {@code 2} and {@code 10.13} vs {@code 10.12} fit; {@code 3} vs {@code 2} (OLD an
   * int), {@code 4.0} vs {@code 3} (3 is odd: 3.5 rounds to 4 either way) and {@code 3.0} vs {@code 4} do not.
   */
  static boolean roundHalfEven(JsonNode oldNumber, JsonNode newNumber) {
    if (!isFloat(oldNumber) || !(newNumber.isIntegralNumber() || isFloat(newNumber))) {
      return false;
    }
    BigDecimal o = oldNumber.decimalValue();
    BigDecimal n = newNumber.decimalValue();
    int d = Math.max(0, Math.max(o.stripTrailingZeros().scale(), n.stripTrailingZeros().scale()));
    if (d > 15 || (d > 0 && newNumber.isIntegralNumber())) {
      return false;
    }
    if (o.abs().subtract(n.abs()).compareTo(BigDecimal.ONE.movePointLeft(d)) != 0) {
      return false;
    }
    if (n.signum() != 0 && n.signum() != o.signum()) {
      return false;
    }
    return !n.abs().movePointRight(d).setScale(0, RoundingMode.UNNECESSARY).toBigInteger().testBit(0);
  }

  /** {@link #py2StrOfFloat(BigDecimal, BigDecimal)} on two number literals. */
  static boolean py2StrOfFloat(String oldLiteral, String newLiteral) {
    return py2StrOfFloat(new BigDecimal(oldLiteral), new BigDecimal(newLiteral));
  }

  /**
   * OLD is Python 2's {@code str()} of NEW's float ({@code '%.12g'}): OLD has at most 12 significant digits, NEW
   * 13 to 17 (a repr), and NEW's double rounded half-even to 12 significant digits equals OLD.
   */
  static boolean py2StrOfFloat(BigDecimal oldValue, BigDecimal newValue) {
    if (significantDigits(oldValue) > 12) {
      return false;
    }
    int newDigits = significantDigits(newValue);
    if (newDigits <= 12 || newDigits > 17) {
      return false;
    }
    double x = newValue.doubleValue();
    if (!Double.isFinite(x) || x == 0) {
      return false;
    }
    return new BigDecimal(x).round(TWELVE_DIGITS).compareTo(oldValue) == 0;
  }

  private static int significantDigits(BigDecimal d) {
    return d.signum() == 0 ? 1 : d.stripTrailingZeros().precision();
  }
}
