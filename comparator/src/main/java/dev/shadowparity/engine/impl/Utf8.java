package dev.shadowparity.engine.impl;

/** Strict UTF-8 validation (RFC 3629) without decoding or allocating. */
final class Utf8 {

  /** Eight bytes read as one long, for the ASCII fast path. */
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  /**
   * The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1 when all
   * are well formed. Overlong forms, surrogates (U+D800..U+DFFF) and code points above U+10FFFF are
   * ill-formed; a sequence cut off by the end of the data is reported at its first byte.
   */
  static int firstInvalid(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      // ASCII fast path, eight bytes at a time
      if (i + 8 <= n && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
        continue;
      }
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      c &= 0xff;
      int len;
      int min2;
      int max2;
      if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        min2 = 0x80;
        max2 = 0xbf;
      } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        min2 = c == 0xe0 ? 0xa0 : 0x80; // no overlongs
        max2 = c == 0xed ? 0x9f : 0xbf; // no surrogates
      } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        min2 = c == 0xf0 ? 0x90 : 0x80; // no overlongs
        max2 = c == 0xf4 ? 0x8f : 0xbf; // nothing above U+10FFFF
      } else {
        return i;
      }
      if (i + len > n) {
        return i;
      }
      int second = b[i + 1] & 0xff;
      if (second < min2 || second > max2) {
        return i;
      }
      for (int k = 2; k < len; k++) {
        int cont = b[i + k] & 0xff;
        if (cont < 0x80 || cont > 0xbf) {
          return i;
        }
      }
      i += len;
    }
    return -1;
  }
}
