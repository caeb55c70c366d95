package dev.shadowparity.replay.impl;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Finds the array at {@code log.entries} in a HAR file, byte by byte, and hands out the bytes of one entry at a
 * time, for Jackson to build its tree: memory stays flat whatever the file and its entries. An entry over the cap is
 * scanned to its end without its bytes being kept, and handed out with its size only. Other members ({@code
 * log.pages}, {@code creator}, ...) may come in any order and are skipped. The JSON syntax of everything passed is
 * checked (strings and their escapes, numbers, literals, nesting), so that an error is reported where it is and
 * reading stops there, as Jackson would; positions are Jackson's: 1-based lines and byte columns, where a line ends
 * at {@code \n}, {@code \r\n} or {@code \r}.
 *
 * <p>Why a scanner of its own: Jackson builds every string it reads whole (a 1 GiB {@code response.content.text}
 * would be held as 2 GiB of chars), and a tree only once its value has ended; this scanner never holds more than the
 * cap, and knows the size of what it did not keep.
 */
final class HarEntries {

  /** An element of {@code log.entries}: its bytes (when within the cap), its size and where it starts. */
  static final class Entry {
    private final byte[] bytes;
    private final int length;
    private final long size;
    private final long line;
    private final long column;

    Entry(byte[] bytes, int length, long size, long line, long column) {
      this.bytes = bytes;
      this.length = length;
      this.size = size;
      this.line = line;
      this.column = column;
    }

    /** The entry's bytes, from 0 to {@link #length()}, or null when it was over the cap; valid until the next entry. */
    byte[] bytes() {
      return bytes;
    }

    int length() {
      return length;
    }

    /** Bytes of the whole entry, kept or not. */
    long size() {
      return size;
    }

    boolean over() {
      return bytes == null;
    }

    long line() {
      return line;
    }

    long column() {
      return column;
    }
  }

  /** Not JSON, at a line and column of the file; reading cannot go on. */
  static final class SyntaxError extends Exception {
    private final long line;
    private final long column;

    SyntaxError(String message, long line, long column) {
      super(message, null, false, false);
      this.line = line;
      this.column = column;
    }

    long line() {
      return line;
    }

    long column() {
      return column;
    }
  }

  private static final int SMALL = 8192;
  /** An entry buffer larger than this is replaced by a small one before the next entry. */
  private static final int KEEP = 1024 * 1024;

  private final InputStream in;
  private final int cap;
  private final int maxDepth;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  /** File offset of {@code buf[0]}. */
  private long base;
  private long line = 1;
  /** File offset of the first byte of the current line. */
  private long lineStart;
  /** Offset of a {@code \r} just read: a {@code \n} right after it ends the same line. */
  private long lastCr = -1;
  /** Container kinds ({@code '{'} or {@code '['}) open in the value being scanned. */
  private final byte[] stack;

  private boolean capturing;
  private byte[] entry = new byte[SMALL];
  private int entryLength;
  private long entrySize;
  private boolean entryOver;

  private boolean inEntries;
  private boolean first = true;
  private boolean done;

  /**
   * @param cap      the most bytes of one entry kept ({@code limits.max-record-bytes})
   * @param maxDepth the deepest nesting allowed, as Jackson's own limit
   */
  HarEntries(InputStream in, int cap, int maxDepth) {
    this.in = in;
    this.cap = cap;
    this.maxDepth = maxDepth;
    this.stack = new byte[maxDepth + 1];
  }

  /**
   * Moves to just inside {@code log.entries}; returns what is missing ({@code a HAR file is one JSON object}, {@code
   * no 'log' object}, {@code no 'log.entries' array}), or null.
   */
  String seek() throws IOException, SyntaxError {
    if (peek() == 0xef) { // a UTF-8 byte order mark, as Jackson skips it
      for (int i = 0; i < 3 && peek() >= 0; i++) {
        pos++;
      }
    }
    if (space() != '{') {
      skipOne(); // the position after it, as Jackson says it
      return "a HAR file is one JSON object";
    }
    pos++;
    if (!member("log", '{')) {
      return "no 'log' object";
    }
    if (!member("entries", '[')) {
      return "no 'log.entries' array";
    }
    inEntries = true;
    return null;
  }

  /**
   * Skips the members of the object just entered until {@code name}, and moves past the first byte of its value,
   * which must be {@code open}; false when the object ends first or the value is something else.
   */
  private boolean member(String name, int open) throws IOException, SyntaxError {
    int c = space();
    if (c == '}') {
      pos++;
      return false;
    }
    while (true) {
      if (c != '"') {
        throw unexpected(c, "a field name");
      }
      pos++;
      StringBuilder key = new StringBuilder();
      string(key);
      colon();
      if (key.toString().equals(name)) {
        if (space() != open) {
          skipOne();
          return false;
        }
        pos++;
        return true;
      }
      value();
      c = space();
      if (c == '}') {
        pos++;
        return false;
      }
      if (c != ',') {
        throw unexpected(c, "',' or '}'");
      }
      pos++;
      c = space();
    }
  }

  /**
   * The next entry, or null after the last one. Of an entry over the cap only the size is known.
   */
  Entry next() throws IOException, SyntaxError {
    if (done || !inEntries) {
      return null;
    }
    int c = space();
    if (c == ']') {
      pos++;
      done = true;
      return null;
    }
    if (!first) {
      if (c != ',') {
        if (c < 0) {
          throw error("the file ends inside log.entries");
        }
        throw unexpected(c, "',' or ']'");
      }
      pos++;
      c = space();
    }
    first = false;
    if (c < 0) {
      throw error("the file ends inside log.entries");
    }
    long startLine = line;
    long startColumn = column();
    if (entry.length > KEEP) {
      entry = new byte[SMALL];
    }
    entryLength = 0;
    entrySize = 0;
    entryOver = false;
    capturing = true;
    try {
      value();
    } finally {
      capturing = false;
    }
    return new Entry(entryOver ? null : entry, entryOver ? 0 : entryLength, entrySize, startLine, startColumn);
  }

  /** Where reading has got to, as Jackson says it: {@code line L, column C}. */
  String where() {
    return "line " + line + ", column " + column();
  }

  // ------------------------------------------------------------------------------------------ the JSON grammar

  /** Scans one value, from the next byte that is not white space. */
  private void value() throws IOException, SyntaxError {
    int depth = 0;
    while (true) {
      // a value is expected
      int c = space();
      boolean scalar = true;
      switch (c) {
        case '{', '[' -> {
          if (depth == maxDepth) {
            throw error("nesting deeper than " + maxDepth + " levels");
          }
          stack[depth++] = (byte) c;
          take();
          int close = c == '{' ? '}' : ']';
          int d = space();
          if (d == close) {
            take();
            depth--;
          } else {
            scalar = false;
            if (c == '{') {
              key(d);
            }
          }
        }
        case '"' -> {
          take();
          string(null);
        }
        case 't' -> literal("true");
        case 'f' -> literal("false");
        case 'n' -> literal("null");
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            number();
          } else {
            throw unexpected(c, "a value");
          }
        }
      }
      if (!scalar) {
        continue; // the container's first value (or member) is next
      }
      // a value has ended: close what ends with it, then find the next value
      boolean next = false;
      while (!next) {
        if (depth == 0) {
          return;
        }
        int d = space();
        byte open = stack[depth - 1];
        if (d == ',') {
          take();
          if (open == '{') {
            key(space());
          }
          next = true;
        } else if ((open == '{' && d == '}') || (open == '[' && d == ']')) {
          take();
          depth--;
        } else {
          throw unexpected(d, open == '{' ? "',' or '}'" : "',' or ']'");
        }
      }
    }
  }

  /** A member's name (its first byte is {@code c}) and the colon after it. */
  private void key(int c) throws IOException, SyntaxError {
    if (c != '"') {
      throw unexpected(c, "a field name");
    }
    take();
    string(null);
    colon();
  }

  private void colon() throws IOException, SyntaxError {
    int c = space();
    if (c != ':') {
      throw unexpected(c, "':'");
    }
    take();
  }

  private void literal(String word) throws IOException, SyntaxError {
    for (int i = 0; i < word.length(); i++) {
      int c = peek();
      if (c != word.charAt(i)) {
        throw unexpected(c, "'" + word + "'");
      }
      take();
    }
  }

  /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; what follows is checked by the caller. */
  private void number() throws IOException, SyntaxError {
    if (peek() == '-') {
      take();
    }
    int c = peek();
    if (c == '0') {
      take();
    } else if (c >= '1' && c <= '9') {
      digits();
    } else {
      throw unexpected(c, "a digit");
    }
    if (peek() == '.') {
      take();
      if (!isDigit(peek())) {
        throw unexpected(peek(), "a digit after the decimal point");
      }
      digits();
    }
    c = peek();
    if (c == 'e' || c == 'E') {
      take();
      c = peek();
      if (c == '+' || c == '-') {
        take();
      }
      if (!isDigit(peek())) {
        throw unexpected(peek(), "a digit in the exponent");
      }
      digits();
    }
  }

  private void digits() throws IOException {
    while (isDigit(peek())) {
      take();
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The rest of a string after its opening quote, to its closing quote; its decoded characters go to {@code name}
   * (when given, for the names of members; at most 64 are kept).
   */
  private void string(StringBuilder name) throws IOException, SyntaxError {
    while (true) {
      if (pos == limit && !fill()) {
        throw error("the file ends inside a string");
      }
      int start = pos;
      int end = limit;
      byte[] b = buf;
      int i = start;
      while (i < end) {
        int x = b[i] & 0xff;
        if (x == '"' || x == '\\' || x < 0x20) {
          break;
        }
        i++;
      }
      if (i > start) {
        keep(start, i - start);
        if (name != null) {
          for (int k = start; k < i && name.length() < 64; k++) {
            name.append((char) (b[k] & 0xff));
          }
        }
        pos = i;
      }
      if (i == end) {
        continue;
      }
      int x = b[i] & 0xff;
      if (x == '"') {
        take();
        return;
      }
      if (x < 0x20) {
        throw error("control character (code " + x + ") inside a string: it must be escaped");
      }
      take(); // the backslash
      int e = peek();
      if (e < 0) {
        throw error("the file ends inside a string");
      }
      char decoded;
      switch (e) {
        case '"', '\\', '/' -> decoded = (char) e;
        case 'b' -> decoded = '\b';
        case 'f' -> decoded = '\f';
        case 'n' -> decoded = '\n';
        case 'r' -> decoded = '\r';
        case 't' -> decoded = '\t';
        case 'u' -> decoded = 0;
        default -> throw unexpected(e, "an escape (one of \" \\ / b f n r t u)");
      }
      take();
      if (e == 'u') {
        int v = 0;
        for (int k = 0; k < 4; k++) {
          int h = Character.digit(peek(), 16);
          if (peek() < 0 || h < 0) {
            throw unexpected(peek(), "a hex digit of a \\u escape");
          }
          v = v * 16 + h;
          take();
        }
        decoded = (char) v;
      }
      if (name != null && name.length() < 64) {
        name.append(decoded);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ bytes and positions

  /** Skips white space (counting lines) and returns the next byte without taking it, or -1 at the end of the file. */
  private int space() throws IOException {
    while (true) {
      if (pos == limit && !fill()) {
        return -1;
      }
      int c = buf[pos] & 0xff;
      if (c == ' ' || c == '\t') {
        take();
      } else if (c == '\n') {
        long at = base + pos;
        take();
        if (at != lastCr + 1) {
          line++;
        }
        lineStart = at + 1;
      } else if (c == '\r') {
        long at = base + pos;
        take();
        line++;
        lineStart = at + 1;
        lastCr = at;
      } else {
        return c;
      }
    }
  }

  /** Moves past the next byte, if there is one. */
  private void skipOne() throws IOException {
    if (peek() >= 0) {
      pos++;
    }
  }

  /** The next byte without taking it, or -1 at the end of the file. */
  private int peek() throws IOException {
    if (pos == limit && !fill()) {
      return -1;
    }
    return buf[pos] & 0xff;
  }

  /** Takes the byte {@link #peek()} or {@link #space()} saw (into the entry, while one is read). */
  private void take() {
    if (capturing) {
      keep(pos, 1);
    }
    pos++;
  }

  /** Counts {@code n} bytes of {@code buf} into the entry, and keeps them while it is within the cap. */
  private void keep(int from, int n) {
    if (!capturing) {
      return;
    }
    entrySize += n;
    if (entryOver) {
      return;
    }
    if ((long) entryLength + n > cap) {
      entryOver = true; // only counted from here on; what was kept is let go at once
      entry = new byte[SMALL];
      entryLength = 0;
      return;
    }
    if (entryLength + n > entry.length) {
      entry = Arrays.copyOf(entry, (int) Math.min(cap, Math.max(2L * entry.length, (long) entryLength + n)));
    }
    System.arraycopy(buf, from, entry, entryLength, n);
    entryLength += n;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      eof = true;
      return false;
    }
    base += limit;
    pos = 0;
    limit = n;
    return true;
  }

  private long column() {
    return base + pos - lineStart + 1;
  }

  private SyntaxError error(String message) {
    return new SyntaxError(message, line, column());
  }

  private SyntaxError unexpected(int c, String expected) {
    if (c < 0) {
      return error("the file ends where " + expected + " was expected");
    }
    String shown = c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : "byte 0x" + Integer.toHexString(c);
    return error("unexpected " + shown + " where " + expected + " was expected");
  }
}
