package dev.shadowparity.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Body decoding through the public API: {@code ResponseComparator.decode} and {@code compare}. */
class BodyDecoderTest {

  private static final ResponseComparator COMPARATOR = ResponseComparator.create();

  private static final String JSON = "{\"id\":7,\"name\":\"café\"}";
  private static final byte[] JSON_BYTES = JSON.getBytes(StandardCharsets.UTF_8);

  /** {@code brotli -c} of {@link #JSON} (made once with the brotli CLI 1.0.9). */
  private static final byte[] JSON_BR = Base64.getDecoder().decode("IVgABHsiaWQiOjcsIm5hbWUiOiJjYWbDqSJ9Aw==");
  /** {@code gzip -n -9 | brotli -c} of {@link #JSON}: Content-Encoding {@code gzip, br}. */
  private static final byte[] JSON_GZIP_THEN_BR =
      Base64.getDecoder().decode("DxWAH4sIAAAAAAACA6tWykxRsjLXUcpLzE1VslJKTkw7vFKpFgDh2IK6FwAAAAM=");
  /** {@code head -c 1048576 /dev/zero | brotli -c -q 11}: 14 bytes that expand to 1 MiB. */
  private static final byte[] MIB_OF_ZEROS_BR = Base64.getDecoder().decode("X///j38CIB4LBHLvHwA=");

  // ---------------------------------------------------------------- helpers

  private static RecordedResponse response(byte[] body, String... headers) {
    return new RecordedResponse(200, Headers.of(headers), body);
  }

  private static DecodedBody decode(byte[] body, String... headers) {
    return COMPARATOR.decode(response(body, headers));
  }

  private static DecodedBody decode(ResponseComparator comparator, byte[] body, String... headers) {
    return comparator.decode(response(body, headers));
  }

  private static Comparison compare(RecordedResponse oldResponse, RecordedResponse newResponse) {
    return COMPARATOR.compare(oldResponse, newResponse, Rules.defaults());
  }

  private static List<String> summary(Comparison c) {
    return c.differences().stream().map(d -> d.field() + " " + d.kind().wireName()).toList();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] data, boolean raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION, raw))) {
      d.write(data);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static void assertJsonBody(DecodedBody body) {
    assertThat(body.isDecoded()).as("problem: %s", body.problem()).isTrue();
    assertThat(body.kind()).isEqualTo(BodyKind.JSON);
    assertThat(body.bytes()).isEqualTo(JSON_BYTES);
    assertThat(body.json().get("id").asInt()).isEqualTo(7);
    assertThat(body.json().get("name").asText()).isEqualTo("café");
  }

  private static void assertUndecodable(DecodedBody body, String... problemParts) {
    assertThat(body.isDecoded()).as("decoded as %s", body).isFalse();
    assertThat(body.problem()).contains(problemParts);
    assertThat(body.json()).isNull();
  }

  // ---------------------------------------------------------------- Content-Encoding

  @Test
  void gzip_isDecoded() {
    assertJsonBody(decode(gzip(JSON_BYTES), "Content-Type", "application/json", "Content-Encoding", "gzip"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"GZIP", "x-gzip", " gzip ", "identity, gzip", "gzip, identity"})
  void gzipSpellings_areDecoded(String encoding) {
    assertJsonBody(decode(gzip(JSON_BYTES), "Content-Type", "application/json", "Content-Encoding", encoding));
  }

  @Test
  void gzip_comparedWithPlain_matches() {
    Comparison c = compare(response(JSON_BYTES, "Content-Type", "application/json"),
        response(gzip(JSON_BYTES), "Content-Type", "application/json", "Content-Encoding", "gzip", "Vary", "Accept-Encoding"));
    assertThat(c.differences()).isEmpty();
  }

  @Test
  void deflateZlibWrapped_isDecoded() {
    assertJsonBody(decode(deflate(JSON_BYTES, false), "Content-Type", "application/json", "Content-Encoding", "deflate"));
  }

  @Test
  void deflateRaw_isDecoded() {
    assertJsonBody(decode(deflate(JSON_BYTES, true), "Content-Type", "application/json", "Content-Encoding", "deflate"));
  }

  @Test
  void brotli_isDecoded() {
    assertJsonBody(decode(JSON_BR, "Content-Type", "application/json", "Content-Encoding", "br"));
  }

  @Test
  void brotli_comparedWithGzip_matches() {
    Comparison c = compare(response(JSON_BR, "Content-Type", "application/json", "Content-Encoding", "br"),
        response(gzip(JSON_BYTES), "Content-Type", "application/json", "Content-Encoding", "gzip"));
    assertThat(c.differences()).isEmpty();
  }

  @Test
  void stackedGzipThenBr_isUndoneInReverseOrder() {
    assertJsonBody(decode(JSON_GZIP_THEN_BR, "Content-Type", "application/json", "Content-Encoding", "gzip, br"));
  }

  @Test
  void stackedEncodings_onSeparateHeaderLines_areUndoneInReverseOrder() {
    assertJsonBody(decode(JSON_GZIP_THEN_BR, "Content-Type", "application/json",
        "Content-Encoding", "gzip", "Content-Encoding", "br"));
  }

  @Test
  void stackedBrThenGzip_isUndoneInReverseOrder() {
    assertJsonBody(decode(gzip(JSON_BR), "Content-Type", "application/json", "Content-Encoding", "br, gzip"));
  }

  @Test
  void stackedGzipTwice_isUndoneTwice() {
    assertJsonBody(decode(gzip(gzip(JSON_BYTES)), "Content-Type", "application/json", "Content-Encoding", "gzip, gzip"));
  }

  @Test
  void stackedEncodings_inWrongOrder_areUndecodable() {
    DecodedBody body = decode(JSON_GZIP_THEN_BR, "Content-Type", "application/json", "Content-Encoding", "br, gzip");
    assertUndecodable(body, "gzip");
    assertThat(body.kind()).isEqualTo(BodyKind.JSON);
    assertThat(body.bytes()).isEqualTo(JSON_GZIP_THEN_BR);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zstd", "compress", "snappy", "gzip, zstd"})
  void unknownEncoding_isUndecodable_namingTheEncoding(String encoding) {
    DecodedBody body = decode(JSON_BYTES, "Content-Type", "application/json", "Content-Encoding", encoding);
    String last = encoding.substring(encoding.lastIndexOf(' ') + 1);
    assertUndecodable(body, last);
    assertThat(body.kind()).as("the kind it claimed").isEqualTo(BodyKind.JSON);
    assertThat(body.bytes()).as("raw bytes kept").isEqualTo(JSON_BYTES);
  }

  @Test
  void unknownEncoding_withoutContentType_isUndecodableBinary() {
    DecodedBody body = decode(JSON_BYTES, "Content-Encoding", "zstd");
    assertUndecodable(body, "zstd");
    assertThat(body.kind()).isEqualTo(BodyKind.BINARY);
  }

  @Test
  void gzipTruncated_isUndecodable_withReason() {
    byte[] gz = gzip(utf8(JSON.repeat(50)));
    byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
    assertUndecodable(decode(truncated, "Content-Type", "application/json", "Content-Encoding", "gzip"), "truncated gzip");
  }

  @Test
  void gzipMissingTrailer_isUndecodable() {
    byte[] gz = gzip(JSON_BYTES);
    byte[] noTrailer = Arrays.copyOf(gz, gz.length - 8);
    assertUndecodable(decode(noTrailer, "Content-Type", "application/json", "Content-Encoding", "gzip"), "gzip");
  }

  @Test
  void gzipCorruptCrc_isUndecodable() {
    byte[] gz = gzip(JSON_BYTES);
    gz[gz.length - 6] ^= 0x55;
    assertUndecodable(decode(gz, "Content-Type", "application/json", "Content-Encoding", "gzip"), "gzip");
  }

  @Test
  void gzipHeaderClaimed_butPlainBody_isUndecodable_withReason() {
    DecodedBody body = decode(JSON_BYTES, "Content-Type", "application/json", "Content-Encoding", "gzip");
    assertUndecodable(body, "not gzip data");
    assertThat(body.bytes()).isEqualTo(JSON_BYTES);
  }

  @Test
  void gzipClaimedOnOneSideOnly_butPlainBody_isUndecodableDifference() {
    Comparison c = compare(response(JSON_BYTES, "Content-Type", "application/json"),
        response(JSON_BYTES, "Content-Type", "application/json", "Content-Encoding", "gzip"));
    assertThat(summary(c)).containsExactly("body undecodable");
    assertThat(c.differences().get(0).newValue()).contains("not gzip data");
  }

  @Test
  void deflateTruncated_isUndecodable_withReason() {
    byte[] z = deflate(utf8(JSON.repeat(50)), false);
    assertUndecodable(decode(Arrays.copyOf(z, z.length / 2), "Content-Type", "application/json", "Content-Encoding", "deflate"),
        "deflate");
    byte[] raw = deflate(utf8(JSON.repeat(50)), true);
    assertUndecodable(decode(Arrays.copyOf(raw, raw.length / 2), "Content-Type", "application/json", "Content-Encoding", "deflate"),
        "deflate");
  }

  @Test
  void deflateGarbage_isUndecodable() {
    assertUndecodable(decode(utf8("definitely not deflate data!"), "Content-Encoding", "deflate"), "deflate");
  }

  @Test
  void brotliTruncated_isUndecodable() {
    assertUndecodable(decode(Arrays.copyOf(JSON_BR, 10), "Content-Type", "application/json", "Content-Encoding", "br"), "brotli");
  }

  @Test
  void brotliGarbage_isUndecodable() {
    assertUndecodable(decode(utf8("{\"not\":\"brotli at all, just json\"}"), "Content-Type", "application/json",
        "Content-Encoding", "br"), "br");
  }

  @Test
  void encodedEmptyBody_isEmpty() {
    DecodedBody body = decode(new byte[0], "Content-Type", "application/json", "Content-Encoding", "gzip");
    assertThat(body.isDecoded()).isTrue();
    assertThat(body.kind()).isEqualTo(BodyKind.EMPTY);
  }

  @Test
  void gzipOfNothing_isEmpty() {
    DecodedBody body = decode(gzip(new byte[0]), "Content-Type", "application/json", "Content-Encoding", "gzip");
    assertThat(body.isDecoded()).isTrue();
    assertThat(body.kind()).isEqualTo(BodyKind.EMPTY);
  }

  // ---------------------------------------------------------------- decompression bombs

  @Test
  void gzipBomb_overTheCap_isUndecodable_notOom() {
    ResponseComparator small = ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(64 * 1024));
    byte[] bomb = gzip(new byte[16 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(64 * 1024);
    DecodedBody body = decode(small, bomb, "Content-Type", "application/json", "Content-Encoding", "gzip");
    assertUndecodable(body, "more than 65536 bytes");
    assertThat(body.bytes()).as("raw bytes kept").isEqualTo(bomb);
  }

  @Test
  void deflateBomb_overTheCap_isUndecodable() {
    ResponseComparator small = ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(64 * 1024));
    assertUndecodable(decode(small, deflate(new byte[16 * 1024 * 1024], false), "Content-Encoding", "deflate"), "more than 65536 bytes");
    assertUndecodable(decode(small, deflate(new byte[16 * 1024 * 1024], true), "Content-Encoding", "deflate"), "more than 65536 bytes");
  }

  @Test
  void brotliBomb_overTheCap_isUndecodable() {
    ResponseComparator small = ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(64 * 1024));
    assertUndecodable(decode(small, MIB_OF_ZEROS_BR, "Content-Encoding", "br"), "more than 65536 bytes");
    // under the default cap the same body decodes to 1 MiB
    DecodedBody ok = decode(MIB_OF_ZEROS_BR, "Content-Encoding", "br");
    assertThat(ok.isDecoded()).isTrue();
    assertThat(ok.bytes()).hasSize(1024 * 1024);
  }

  @Test
  void stackedBomb_overTheCap_isUndecodable() {
    ResponseComparator small = ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(64 * 1024));
    byte[] doubleBomb = gzip(gzip(new byte[16 * 1024 * 1024]));
    assertUndecodable(decode(small, doubleBomb, "Content-Encoding", "gzip, gzip"), "more than 65536 bytes");
  }

  @Test
  void bomb_comparedAgainstSameBomb_isEquallyBroken_match() {
    ResponseComparator small = ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(1024));
    byte[] bomb = gzip(new byte[1024 * 1024]);
    RecordedResponse r = response(bomb, "Content-Encoding", "gzip");
    assertThat(small.compare(r, r, Rules.defaults()).differences()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] {0} bytes with cap 1000 -> decoded {1}")
  @CsvSource({"999, true", "1000, true", "1001, false"})
  void decodedSizeAtTheCap_isAllowed_overTheCap_isNot(int size, boolean decoded) {
    ResponseComparator small = ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(1000));
    byte[] text = utf8("a".repeat(size));
    assertThat(decode(small, gzip(text), "Content-Type", "text/plain", "Content-Encoding", "gzip").isDecoded()).isEqualTo(decoded);
    assertThat(decode(small, deflate(text, false), "Content-Type", "text/plain", "Content-Encoding", "deflate").isDecoded())
        .isEqualTo(decoded);
  }

  @Test
  void capAppliesToDecompressionOnly_notToPlainBodies() {
    ResponseComparator small = ResponseComparator.create(new CompareOptions().setMaxDecodedBytes(10));
    DecodedBody body = decode(small, utf8("a".repeat(1000)), "Content-Type", "text/plain");
    assertThat(body.isDecoded()).isTrue();
  }

  // ---------------------------------------------------------------- charsets

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"iso-8859-1", "ISO-8859-1", "latin1", "\"iso-8859-1\""})
  void latin1Charset_isUsed(String charset) {
    byte[] bytes = "café, naïve, ÿ".getBytes(StandardCharsets.ISO_8859_1);
    DecodedBody body = decode(bytes, "Content-Type", "text/plain; charset=" + charset);
    assertThat(body.isDecoded()).as("problem: %s", body.problem()).isTrue();
    assertThat(body.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(body.text()).isEqualTo("café, naïve, ÿ");
    assertThat(body.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
  }

  @Test
  void windows1252Charset_isUsed() {
    byte[] bytes = {(byte) 0x93, 'h', 'i', (byte) 0x94, ' ', (byte) 0x80, '5', ' ', (byte) 0x96, ' ', (byte) 0xe9};
    DecodedBody body = decode(bytes, "Content-Type", "text/html; charset=windows-1252");
    assertThat(body.isDecoded()).as("problem: %s", body.problem()).isTrue();
    assertThat(body.kind()).isEqualTo(BodyKind.HTML);
    assertThat(body.text()).isEqualTo("\u201chi\u201d \u20ac5 \u2013 é");
  }

  @Test
  void utf16Charset_withBom_isUsed_forTextAndJson() {
    DecodedBody text = decode("héllo wörld".getBytes(StandardCharsets.UTF_16), "Content-Type", "text/plain; charset=utf-16");
    assertThat(text.isDecoded()).as("problem: %s", text.problem()).isTrue();
    assertThat(text.text()).isEqualTo("héllo wörld");

    DecodedBody json = decode(JSON.getBytes(StandardCharsets.UTF_16), "Content-Type", "application/json; charset=utf-16");
    assertThat(json.isDecoded()).as("problem: %s", json.problem()).isTrue();
    assertThat(json.kind()).isEqualTo(BodyKind.JSON);
    assertThat(json.json().get("name").asText()).isEqualTo("café");
  }

  @Test
  void utf16leCharset_isUsed() {
    DecodedBody text = decode("naïve".getBytes(StandardCharsets.UTF_16LE), "Content-Type", "text/plain; charset=UTF-16LE");
    assertThat(text.text()).isEqualTo("naïve");
  }

  @Test
  void jsonInLatin1_equalsSameJsonInUtf8() {
    byte[] latin1 = JSON.getBytes(StandardCharsets.ISO_8859_1);
    Comparison c = compare(response(latin1, "Content-Type", "application/json; charset=iso-8859-1"),
        response(JSON_BYTES, "Content-Type", "application/json; charset=iso-8859-1"));
    // header equal, but the body bytes differ: OLD is latin-1 é, NEW is utf-8 "Ã©" when read as latin-1
    assertThat(summary(c)).containsExactly("/name value");

    Comparison same = compare(response(latin1, "Content-Type", "application/json; charset=iso-8859-1"),
        response(JSON_BYTES, "Content-Type", "application/json; charset=utf-8"));
    assertThat(summary(same)).containsExactly("header:content-type value");
  }

  @Test
  void textInLatin1_equalsSameTextInUtf8_bodyWise() {
    Comparison c = compare(response("café".getBytes(StandardCharsets.ISO_8859_1), "Content-Type", "text/plain; charset=iso-8859-1"),
        response(utf8("café"), "Content-Type", "text/plain; charset=utf-8"));
    assertThat(summary(c)).containsExactly("header:content-type value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"klingon", "utf-9", "x_bogus!", "\"\""})
  void unknownCharset_isUndecodable_namingIt(String charset) {
    DecodedBody body = decode(utf8("hello"), "Content-Type", "text/plain; charset=" + charset);
    assertThat(body.isDecoded()).as("decoded as %s", body).isFalse();
    assertThat(body.problem()).contains("charset");
    assertThat(body.kind()).isEqualTo(BodyKind.TEXT);
  }

  @Test
  void unknownCharset_onJson_isUndecodableJson() {
    DecodedBody body = decode(JSON_BYTES, "Content-Type", "application/json; charset=klingon");
    assertUndecodable(body, "klingon");
    assertThat(body.kind()).isEqualTo(BodyKind.JSON);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "text/plain                    | 4",
      "text/plain; charset=utf-8     | 4",
      "text/html; charset=UTF-8      | 4",
  })
  void invalidUtf8Text_reportsByteOffset(String contentType, int offset) {
    byte[] bytes = {'c', 'a', 'f', 'e', (byte) 0xff, 'x'};
    DecodedBody body = decode(bytes, "Content-Type", contentType);
    assertUndecodable(body, "UTF-8", "at byte " + offset, "0xff");
  }

  @Test
  void truncatedUtf8Sequence_atEnd_reportsByteOffset() {
    byte[] bytes = {'c', 'a', 'f', (byte) 0xc3};
    assertUndecodable(decode(bytes, "Content-Type", "text/plain"), "at byte 3");
  }

  @Test
  void invalidUtf8InJson_reportsByteOffset() {
    byte[] bytes = utf8("{\"name\":\"caf\u0000\"}");
    bytes[12] = (byte) 0xff; // the NUL placeholder
    DecodedBody body = decode(bytes, "Content-Type", "application/json");
    assertUndecodable(body, "UTF-8");
    assertThat(body.problem()).contains("byte 12");
  }

  @Test
  void overlongUtf8InJson_isUndecodable() {
    // C0 AF is an overlong encoding of '/': invalid UTF-8 (RFC 3629), rejected by text decoding
    byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'};
    assertThat(decode(bytes, "Content-Type", "text/plain").isDecoded()).isFalse();
    DecodedBody json = decode(bytes, "Content-Type", "application/json");
    assertThat(json.isDecoded()).as("decoded as %s", json).isFalse();
  }

  @Test
  void invalidUtf8_onBothSidesIdentical_isMatch_onOneSide_isUndecodableDifference() {
    byte[] bad = {'c', 'a', 'f', (byte) 0xe9};
    RecordedResponse broken = response(bad, "Content-Type", "text/plain; charset=utf-8");
    assertThat(compare(broken, broken).differences()).isEmpty();
    Comparison c = compare(response(utf8("café"), "Content-Type", "text/plain; charset=utf-8"), broken);
    assertThat(summary(c)).containsExactly("body undecodable");
    assertThat(c.differences().get(0).newValue()).contains("at byte 3");
  }

  // ---------------------------------------------------------------- sniffing without Content-Type

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"a\":1}                                    | JSON",
      "  \\n [1, 2, 3]                               | JSON",
      "<!DOCTYPE html><html><body>x</body></html>   | HTML",
      "<!doctype HTML>\\n<p>x                        | HTML",
      "   <html lang=\"en\"><head></head></html>      | HTML",
      "hello world                                  | TEXT",
      "42                                           | TEXT",
      "`\"just a string\"`                          | TEXT",
      "{not json                                    | TEXT",
      "<?xml version=\"1.0\"?><a/>                  | TEXT",
  })
  void sniffing_withoutContentType(String body, BodyKind expected) {
    DecodedBody d = decode(utf8(body.replace("\\n", "\n")));
    assertThat(d.isDecoded()).isTrue();
    assertThat(d.kind()).isEqualTo(expected);
    if (expected == BodyKind.JSON) {
      assertThat(d.json()).isNotNull();
    }
  }

  @Test
  void sniffing_binaryBytes_isBinary() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    DecodedBody d = decode(png);
    assertThat(d.isDecoded()).isTrue();
    assertThat(d.kind()).isEqualTo(BodyKind.BINARY);
    assertThat(d.text()).isNull();
    assertThat(d.charset()).isNull();
  }

  @Test
  void sniffing_validUtf8WithControlCharacters_isBinary() {
    DecodedBody d = decode(new byte[] {'a', 'b', 0, 1, 2, 'c'});
    assertThat(d.kind()).isEqualTo(BodyKind.BINARY);
  }

  @Test
  void sniffing_textWithTabsAndCrlf_isText() {
    DecodedBody d = decode(utf8("a\tb\r\nc\f"));
    assertThat(d.kind()).isEqualTo(BodyKind.TEXT);
    assertThat(d.text()).isEqualTo("a\tb\r\nc\f");
  }

  @Test
  void sniffing_unknownContentType_sniffsBytes() {
    assertThat(decode(utf8("{\"a\":1}"), "Content-Type", "application/x-custom").kind()).isEqualTo(BodyKind.JSON);
    assertThat(decode(utf8("{\"a\":1}"), "Content-Type", "garbage").kind()).isEqualTo(BodyKind.JSON);
  }

  @Test
  void sniffing_utf8BomJson_isJson() {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] body = new byte[bom.length + JSON_BYTES.length];
    System.arraycopy(bom, 0, body, 0, 3);
    System.arraycopy(JSON_BYTES, 0, body, 3, JSON_BYTES.length);
    assertThat(decode(body, "Content-Type", "application/json").kind()).isEqualTo(BodyKind.JSON);
    assertThat(decode(body).kind()).isEqualTo(BodyKind.JSON);
  }

  @Test
  void declaredBinaryType_isNotSniffed() {
    DecodedBody d = decode(utf8("{\"a\":1}"), "Content-Type", "application/octet-stream");
    assertThat(d.kind()).isEqualTo(BodyKind.BINARY);
    assertThat(d.json()).isNull();
  }

  @Test
  void emptyBody_isEmpty() {
    DecodedBody d = decode(new byte[0], "Content-Type", "application/json");
    assertThat(d.isDecoded()).isTrue();
    assertThat(d.kind()).isEqualTo(BodyKind.EMPTY);
    assertThat(d.text()).isEmpty();
  }

  // ---------------------------------------------------------------- JSON under other types

  @Test
  void jsonServedAsTextHtml_isComparedAsJson() {
    DecodedBody d = decode(utf8("{\"b\": 2, \"a\": 1.0}"), "Content-Type", "text/html; charset=utf-8");
    assertThat(d.kind()).isEqualTo(BodyKind.JSON);
    Comparison c = compare(response(utf8("{\"a\":1,\"b\":2}"), "Content-Type", "application/json"),
        response(utf8("{\"b\": 2, \"a\": 1.0}"), "Content-Type", "text/html; charset=utf-8"));
    assertThat(summary(c)).containsExactly("header:content-type value");
  }

  @Test
  void jsonServedAsTextHtml_withRealDifference_reportsJsonPointer() {
    Comparison c = compare(response(utf8("{\"items\":[{\"p\":1}]}"), "Content-Type", "application/json"),
        response(utf8("{\"items\":[{\"p\":2}]}"), "Content-Type", "text/html"));
    assertThat(summary(c)).containsExactlyInAnyOrder("header:content-type value", "/items/*/p value");
  }

  @Test
  void jsonServedAsTextPlain_isComparedAsJson() {
    Comparison c = compare(response(utf8("[1,2]"), "Content-Type", "text/plain"),
        response(utf8("[1.0, 2]"), "Content-Type", "text/plain"));
    assertThat(c.differences()).isEmpty();
  }

  // ---------------------------------------------------------------- invalid JSON

  @Test
  void invalidJson_underApplicationJson_isUndecodable_withLineAndColumn() {
    DecodedBody d = decode(utf8("{\n  \"a\": 1,\n  \"b\": }\n"), "Content-Type", "application/json");
    assertUndecodable(d, "invalid JSON", "line 3", "column");
    assertThat(d.kind()).isEqualTo(BodyKind.JSON);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{\"a\":1,}", "{'a':1}", "{\"a\":1}{\"b\":2}", "{\"a\":1} trailing", "   ", "[1,2", "{\"a\":undefined}"})
  void invalidJsonVariants_underApplicationJson_areUndecodable(String body) {
    DecodedBody d = decode(utf8(body), "Content-Type", "application/json; charset=utf-8");
    assertUndecodable(d, "invalid JSON", "line 1");
  }

  @Test
  void invalidJson_inNonUtf8Charset_isUndecodable_withLineAndColumn() {
    DecodedBody d = decode("{\"a\": é}".getBytes(StandardCharsets.ISO_8859_1), "Content-Type", "application/json; charset=iso-8859-1");
    assertUndecodable(d, "invalid JSON", "line 1", "column");
  }

  @Test
  void invalidJson_oneSideOnly_isUndecodableDifference() {
    Comparison c = compare(response(utf8("{\"a\":1}"), "Content-Type", "application/json"),
        response(utf8("{\"a\":1"), "Content-Type", "application/json"));
    assertThat(summary(c)).containsExactly("body undecodable");
    assertThat(c.differences().get(0).newValue()).contains("invalid JSON");
  }

  @Test
  void invalidJson_bothSidesEquallyBroken_isMatch() {
    RecordedResponse broken = response(utf8("{\"a\":1,}"), "Content-Type", "application/json");
    RecordedResponse sameBroken = response(gzip(utf8("{\"a\":1,}")), "Content-Type", "application/json", "Content-Encoding", "gzip");
    assertThat(compare(broken, broken).differences()).isEmpty();
    assertThat(compare(broken, sameBroken).differences()).as("decoded bytes equal").isEmpty();
  }

  @Test
  void invalidJson_bothSidesDifferentlyBroken_isUndecodableDifference() {
    Comparison c = compare(response(utf8("{\"a\":1,}"), "Content-Type", "application/json"),
        response(utf8("{\"a\":2,}"), "Content-Type", "application/json"));
    assertThat(summary(c)).containsExactly("body undecodable");
  }

  @Test
  void truncatedGzip_bothSidesSameBytes_isMatch() {
    byte[] gz = gzip(utf8(JSON.repeat(20)));
    RecordedResponse r = response(Arrays.copyOf(gz, gz.length - 20), "Content-Type", "application/json", "Content-Encoding", "gzip");
    assertThat(compare(r, r).differences()).isEmpty();
  }

  // ---------------------------------------------------------------- NaN and Infinity

  @Test
  void pythonNaNAndInfinity_areDecoded() {
    DecodedBody d = decode(utf8("{\"n\": NaN, \"p\": Infinity, \"m\": -Infinity}"), "Content-Type", "application/json");
    assertThat(d.isDecoded()).as("problem: %s", d.problem()).isTrue();
    assertThat(d.json().get("n").doubleValue()).isNaN();
    assertThat(d.json().get("p").doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(d.json().get("m").doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @ParameterizedTest(name = "[{index}] {0} vs {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"v\":NaN}             | {\"v\":NaN}            | true",
      "{\"v\":Infinity}        | {\"v\":Infinity}       | true",
      "[-Infinity, NaN]        | [-Infinity,NaN]        | true",
      "{\"v\":NaN}             | {\"v\":null}           | false",
      "{\"v\":NaN}             | {\"v\":0}              | false",
      "{\"v\":Infinity}        | {\"v\":-Infinity}      | false",
      "{\"v\":Infinity}        | {\"v\":1e308}          | false",
      "{\"v\":NaN}             | {\"v\":\"NaN\"}        | false",
  })
  void pythonNaNAndInfinity_compare(String oldBody, String newBody, boolean match) {
    Comparison c = compare(response(utf8(oldBody), "Content-Type", "application/json"),
        response(utf8(newBody), "Content-Type", "application/json"));
    assertThat(c.match()).as("differences: %s", c.differences()).isEqualTo(match);
    if (!match) {
      assertThat(c.fields()).allMatch(f -> f.startsWith("/"));
    }
  }

  @Test
  void pythonNaN_inJsonServedAsText_isComparedAsJson() {
    Comparison c = compare(response(utf8("{\"v\":NaN}"), "Content-Type", "application/json"),
        response(utf8("{\"v\": NaN}"), "Content-Type", "text/html"));
    assertThat(summary(c)).containsExactly("header:content-type value");
  }

  @Test
  void charsetOfDecodedJson_isUtf8ByDefault() {
    DecodedBody d = decode(JSON_BYTES, "Content-Type", "application/json");
    assertThat(d.charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(d.text()).isEqualTo(JSON);
    assertThat(Charset.forName("UTF-8")).isEqualTo(d.charset());
  }

  /**
   * Found by fuzzing (BodyDecoderFuzzTest): JSON in UTF-32 (told by its NUL bytes) with a code point past U+10FFFF made
   * Jackson's UTF-32 reader throw CharConversionException, which escaped decode and compare as IllegalStateException.
   */
  @Test
  void utf32JsonWithACodePointPastUnicode_isUndecodable() {
    byte[] body = {0, 0, 0, '[', 0, 0x21, 0, 0, 0, 0, 0, ']'};
    assertUndecodable(decode(body, "Content-Type", "application/json"), "invalid JSON", "UTF-32");
    RecordedResponse r = response(body, "Content-Type", "application/json");
    assertThat(compare(r, r).match()).isTrue();
  }
}
