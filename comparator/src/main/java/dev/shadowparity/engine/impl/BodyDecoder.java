package dev.shadowparity.engine.impl;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shadowparity.engine.BodyKind;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.MediaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.ZipException;
import org.brotli.dec.BrotliInputStream;

/**
 * Decode stage: undoes Content-Encoding (gzip, deflate, br), reads text in the declared charset
 * (UTF-8 when none is declared), and tells the body kind from Content-Type or, failing that, from the
 * bytes. Never throws for bad input: a body that cannot be decoded comes back with a problem.
 *
 * <p>Why one file of this length: every content encoding, charset and kind sniffing path of one decode, each bounded
 * by the decoded-bytes cap, in the order they apply.
 */
public final class BodyDecoder {

  private final long maxDecodedBytes;

  public BodyDecoder(long maxDecodedBytes) {
    if (maxDecodedBytes <= 0) {
      throw new IllegalArgumentException("max decoded bytes must be positive: " + maxDecodedBytes);
    }
    this.maxDecodedBytes = maxDecodedBytes;
  }

  public DecodedBody decode(Headers headers, byte[] raw) {
    return decode(headers, raw, MediaType.parse(headers.get("content-type")));
  }

  /** As {@link #decode(Headers, byte[])}, with the Content-Type already parsed. */
  public DecodedBody decode(Headers headers, byte[] raw, MediaType type) {
    if (raw.length == 0) {
      return DecodedBody.of(BodyKind.EMPTY, raw, StandardCharsets.UTF_8, "", null);
    }
    BodyKind declared = type.declaredKind();
    byte[] bytes;
    try {
      bytes = undoContentEncoding(headers.getAll("content-encoding"), raw);
    } catch (UndecodableException e) {
      return DecodedBody.undecodable(declared == null ? BodyKind.BINARY : declared, raw, e.getMessage());
    }
    if (bytes.length == 0) {
      return DecodedBody.of(BodyKind.EMPTY, bytes, StandardCharsets.UTF_8, "", null);
    }
    Charset charset;
    try {
      charset = charsetOf(type);
    } catch (UndecodableException e) {
      return DecodedBody.undecodable(declared == null ? BodyKind.TEXT : declared, bytes, e.getMessage());
    }
    if (declared == null) {
      return sniff(bytes, charset);
    }
    switch (declared) {
      case JSON:
        return decodeJson(bytes, charset);
      case FORM:
        return decodeForm(bytes, charset);
      case HTML:
      case TEXT:
        return decodeText(declared, bytes, charset);
      default:
        return DecodedBody.of(BodyKind.BINARY, bytes, null, null, null);
    }
  }

  private DecodedBody decodeJson(byte[] bytes, Charset charset) {
    try {
      if (charset == StandardCharsets.UTF_8) {
        if (unicodeFamilyOtherThanUtf8(bytes)) {
          // JSON in UTF-16/32 (RFC 4627 detection by the first bytes): Jackson detects and reads it.
          return DecodedBody.of(BodyKind.JSON, bytes, null, null, CanonicalJson.read(bytes));
        }
        int bad = Utf8.firstInvalid(bytes);
        if (bad >= 0) {
          return DecodedBody.undecodable(BodyKind.JSON, bytes, "invalid UTF-8 at byte " + bad + " (0x" + hexAt(bytes, bad) + ")");
        }
        // Validated above; Jackson parses the bytes without making a String first.
        JsonNode tree = CanonicalJson.read(bytes);
        return DecodedBody.of(BodyKind.JSON, bytes, StandardCharsets.UTF_8, null, tree);
      }
      String text = strictDecode(bytes, charset);
      return DecodedBody.of(BodyKind.JSON, bytes, charset, text, CanonicalJson.read(text));
    } catch (JsonProcessingException e) {
      return DecodedBody.undecodable(BodyKind.JSON, bytes, "invalid JSON: " + describe(e));
    } catch (UndecodableException e) {
      return DecodedBody.undecodable(BodyKind.JSON, bytes, e.getMessage());
    }
  }

  /** A UTF-16 or UTF-32 byte-order mark, or a NUL among the first bytes as JSON in those encodings has. */
  private static boolean unicodeFamilyOtherThanUtf8(byte[] b) {
    if (b.length >= 2 && ((b[0] == (byte) 0xfe && b[1] == (byte) 0xff) || (b[0] == (byte) 0xff && b[1] == (byte) 0xfe))) {
      return true;
    }
    for (int i = 0; i < Math.min(4, b.length); i++) {
      if (b[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private DecodedBody decodeText(BodyKind kind, byte[] bytes, Charset charset) {
    String text;
    try {
      text = strictDecode(bytes, charset);
    } catch (UndecodableException e) {
      return DecodedBody.undecodable(kind, bytes, e.getMessage());
    }
    JsonNode json = jsonLooking(text);
    if (json != null) {
      // JSON served as text/plain or text/html (common in old Python apps): compared as JSON,
      // while the Content-Type header itself is still compared.
      return DecodedBody.of(BodyKind.JSON, bytes, charset, text, json);
    }
    return DecodedBody.of(kind, bytes, charset, CanonicalJson.nfc(text), null);
  }

  private DecodedBody decodeForm(byte[] bytes, Charset charset) {
    String text;
    try {
      text = strictDecode(bytes, charset);
    } catch (UndecodableException e) {
      return DecodedBody.undecodable(BodyKind.FORM, bytes, e.getMessage());
    }
    ObjectNode form = CanonicalJson.NODES.objectNode();
    for (String pair : text.trim().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), charset);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), charset);
      } catch (IllegalArgumentException e) {
        return DecodedBody.undecodable(BodyKind.FORM, bytes, "invalid form encoding in '" + abbreviate(pair) + "': " + e.getMessage());
      }
      JsonNode existing = form.get(CanonicalJson.nfc(name));
      ArrayNode values = existing instanceof ArrayNode a ? a : form.putArray(CanonicalJson.nfc(name));
      values.add(CanonicalJson.nfc(value));
    }
    return DecodedBody.of(BodyKind.FORM, bytes, charset, text, form);
  }

  private DecodedBody sniff(byte[] bytes, Charset charset) {
    String text;
    try {
      text = strictDecode(bytes, charset);
    } catch (UndecodableException e) {
      return DecodedBody.of(BodyKind.BINARY, bytes, null, null, null);
    }
    if (hasControlCharacters(text)) {
      return DecodedBody.of(BodyKind.BINARY, bytes, null, null, null);
    }
    JsonNode json = jsonLooking(text);
    if (json != null) {
      return DecodedBody.of(BodyKind.JSON, bytes, charset, text, json);
    }
    String start = text.stripLeading().toLowerCase(Locale.ROOT);
    BodyKind kind = start.startsWith("<!doctype html") || start.startsWith("<html") ? BodyKind.HTML : BodyKind.TEXT;
    return DecodedBody.of(kind, bytes, charset, CanonicalJson.nfc(text), null);
  }

  /** The tree when the text is exactly one JSON object or array, else {@code null}. */
  private static JsonNode jsonLooking(String text) {
    int i = 0;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i == text.length() || (text.charAt(i) != '{' && text.charAt(i) != '[')) {
      return null;
    }
    try {
      return CanonicalJson.read(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static boolean hasControlCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
        return true;
      }
    }
    return false;
  }

  private static Charset charsetOf(MediaType type) throws UndecodableException {
    String name = type.charset();
    if (name == null || name.equals("utf-8") || name.equals("utf8")) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new UndecodableException("unknown charset '" + name + "' in Content-Type");
    }
  }

  /** Decodes, failing with the byte offset of the first byte that is not valid in the charset. */
  static String strictDecode(byte[] bytes, Charset charset) throws UndecodableException {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, (long) (bytes.length * (double) decoder.maxCharsPerByte()) + 1));
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      String what = result.isMalformed() ? "invalid " + charset.name() : "unmappable " + charset.name() + " character";
      throw new UndecodableException(what + " at byte " + in.position() + " (0x" + hexAt(bytes, in.position()) + ")");
    }
    out.flip();
    if (out.hasRemaining() && out.get(0) == '\uFEFF') {
      out.position(1); // a byte-order mark is not content
    }
    return out.toString();
  }

  private static String hexAt(byte[] bytes, int pos) {
    return pos < bytes.length ? String.format("%02x", bytes[pos] & 0xff) : "end";
  }

  private byte[] undoContentEncoding(List<String> headerValues, byte[] raw) throws UndecodableException {
    if (headerValues.isEmpty()) {
      return raw;
    }
    // Codings are listed in the order they were applied; undo them from the last.
    java.util.ArrayList<String> codings = new java.util.ArrayList<>();
    for (String value : headerValues) {
      for (String c : value.split(",")) {
        String coding = c.trim().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty() && !coding.equals("identity")) {
          codings.add(coding);
        }
      }
    }
    byte[] bytes = raw;
    for (int i = codings.size() - 1; i >= 0; i--) {
      bytes = undo(codings.get(i), bytes);
    }
    return bytes;
  }

  private byte[] undo(String coding, byte[] bytes) throws UndecodableException {
    switch (coding) {
      case "gzip":
      case "x-gzip":
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
          throw new UndecodableException("Content-Encoding is gzip but the body is not gzip data (no 1f8b header)");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 8192)) {
          return readCapped(in, "gzip");
        } catch (EOFException e) {
          throw new UndecodableException("truncated gzip stream (" + bytes.length + " bytes ended early)");
        } catch (ZipException e) {
          throw new UndecodableException("corrupt gzip stream: " + e.getMessage());
        } catch (IOException e) {
          throw new UndecodableException("unreadable gzip stream: " + e.getMessage());
        }
      case "deflate":
        return inflate(bytes);
      case "br":
        try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(bytes))) {
          return readCapped(in, "br");
        } catch (IOException e) {
          throw new UndecodableException("corrupt or truncated brotli stream: " + e.getMessage());
        }
      default:
        throw new UndecodableException("unsupported Content-Encoding '" + coding + "'");
    }
  }

  /** HTTP "deflate" is zlib-wrapped by the spec, raw deflate by many servers: try both. */
  private byte[] inflate(byte[] bytes) throws UndecodableException {
    String zlibProblem;
    try {
      return inflate(bytes, false);
    } catch (DataFormatException e) {
      zlibProblem = e.getMessage();
    }
    try {
      return inflate(bytes, true);
    } catch (DataFormatException e) {
      throw new UndecodableException("corrupt deflate stream: " + zlibProblem);
    }
  }

  private byte[] inflate(byte[] bytes, boolean raw) throws DataFormatException, UndecodableException {
    Inflater inflater = new Inflater(raw);
    try {
      inflater.setInput(bytes);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length * 4));
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new UndecodableException("truncated deflate stream (" + bytes.length + " bytes ended early)");
        }
        out.write(buf, 0, n);
        checkCap(out.size(), "deflate");
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }

  private byte[] readCapped(InputStream in, String coding) throws IOException, UndecodableException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
      checkCap(out.size(), coding);
    }
    return out.toByteArray();
  }

  private void checkCap(long size, String coding) throws UndecodableException {
    if (size > maxDecodedBytes) {
      throw new UndecodableException(coding + " body decodes to more than " + maxDecodedBytes + " bytes (limits.max-decoded-bytes)");
    }
  }

  static String describe(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String msg = e.getOriginalMessage();
    int cut = msg.indexOf('\n');
    if (cut > 0) {
      msg = msg.substring(0, cut);
    }
    if (loc == null) {
      return msg;
    }
    return msg + " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  /** A body that cannot be decoded; the message says why. Internal to the decode stage. */
  static final class UndecodableException extends Exception {
    UndecodableException(String message) {
      super(message, null, false, false);
    }
  }
}
