package dev.shadowparity.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DynamicMessage;
import dev.shadowparity.endpoint.EndpointTemplater;
import dev.shadowparity.engine.CompareOptions;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.Location;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** gRPC answers judged from their bytes: framing, compression, defaults, trailers, raw wire form, endpoint names. */
class GrpcDecodingTest {

  private static final GrpcSchemas SCHEMAS = new GrpcSchemas(
      DescriptorSet.of(List.of(GrpcBackends.FILE.toProto())), false, 100);
  private static final ResponseComparator COMPARATOR = ResponseComparator.create(new CompareOptions().setGrpcSchemas(SCHEMAS));
  private static final RecordedRequest GET = new RecordedRequest("POST", "/shop.v1.Users/GetUser",
      Headers.of("content-type", "application/grpc"), GrpcFrames.frame(List.of(GrpcBackends.getRequest(1).toByteArray())));

  private static RecordedResponse answer(byte[] body, Headers trailers, String... headers) {
    Headers.Builder h = Headers.builder().add("content-type", "application/grpc");
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return new RecordedResponse(200, h.build(), body, 0, trailers);
  }

  private static byte[] framed(DynamicMessage... messages) {
    return GrpcFrames.frame(java.util.Arrays.stream(messages).map(DynamicMessage::toByteArray).toList());
  }

  private static DynamicMessage response(DynamicMessage user) {
    return DynamicMessage.newBuilder(GrpcBackends.GET_RESP).setField(GrpcBackends.GET_RESP.findFieldByName("user"), user).build();
  }

  private static final Headers OK = Headers.of("grpc-status", "0");

  private static Comparison compare(RecordedResponse a, RecordedResponse b) {
    return COMPARATOR.compare(GET, a, b, Rules.defaults());
  }

  @Test
  void anExplicitZeroEqualsAnOmittedDefault() {
    // OLD writes visits = 0 on the wire (field 4, varint 0), NEW leaves it out, as proto3 does
    byte[] user = GrpcBackends.user("Ada", 1, "ACTIVE", 0).toByteArray();
    byte[] withZero = java.util.Arrays.copyOf(user, user.length + 2);
    withZero[user.length] = 0x20;
    withZero[user.length + 1] = 0;
    byte[] oldMessage = concat(new byte[] {0x0a, (byte) withZero.length}, withZero);
    RecordedResponse old = answer(GrpcFrames.frame(List.of(oldMessage)), OK);
    RecordedResponse neu = answer(framed(response(GrpcBackends.user("Ada", 1, "ACTIVE", 0))), OK);
    Comparison c = compare(old, neu);
    assertThat(c.differences()).isEmpty();
    assertThat(c.oldBody().json().path("user").path("visits").asLong()).isZero();
    // but a sub-message one side leaves out is missing
    Comparison missing = compare(old, answer(framed(DynamicMessage.getDefaultInstance(GrpcBackends.GET_RESP)), OK));
    assertThat(missing.differences()).extracting(Difference::field, Difference::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/user", DiffKind.MISSING));
  }

  @Test
  void gzipMessagesAreUndoneAndEqualPlainOnes() throws Exception {
    byte[] message = response(GrpcBackends.user("Ada", 1, "ACTIVE", 3)).toByteArray();
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(message);
    }
    byte[] z = gz.toByteArray();
    byte[] frame = concat(new byte[] {1, 0, 0, (byte) (z.length >> 8), (byte) z.length}, z);
    Comparison c = compare(answer(frame, OK, "grpc-encoding", "gzip"), answer(GrpcFrames.frame(List.of(message)), OK));
    assertThat(c.differences()).isEmpty();
  }

  @Test
  void malformedFramingIsUndecodableNeverAnException() {
    RecordedResponse good = answer(framed(response(GrpcBackends.user("Ada", 1, "ACTIVE", 3))), OK);
    byte[] cut = java.util.Arrays.copyOf(good.body(), good.body().length - 2);
    Comparison c = compare(good, answer(cut, OK));
    assertThat(c.differences()).singleElement().satisfies(d -> {
      assertThat(d.field()).isEqualTo("body");
      assertThat(d.kind()).isEqualTo(DiffKind.UNDECODABLE);
      assertThat(d.newValue()).contains("claims");
    });
    assertThat(compare(good, answer(new byte[] {7, 0, 0, 0, 0}, OK)).differences())
        .extracting(Difference::newValue).singleElement().asString().contains("compressed flag 7");
    assertThat(compare(good, answer(new byte[] {1, 0, 0, 0, 1, 5}, OK, "grpc-encoding", "snappy")).differences())
        .extracting(Difference::newValue).singleElement().asString().contains("snappy");
    // not a GetUserResponse: undecodable with the type's name
    assertThat(compare(good, answer(GrpcFrames.frame(List.of(new byte[] {(byte) 0xff, (byte) 0xff})), OK)).differences())
        .extracting(Difference::newValue).singleElement().asString().contains("shop.v1.GetUserResponse");
  }

  @Test
  void theDecodedSizeIsCapped() {
    ResponseComparator small = ResponseComparator.create(new CompareOptions().setGrpcSchemas(SCHEMAS).setMaxDecodedBytes(10));
    RecordedResponse a = answer(framed(response(GrpcBackends.user("a long enough name", 1, "ACTIVE", 3))), OK);
    Comparison c = small.compare(GET, a, a, Rules.defaults());
    assertThat(c.oldBody().isDecoded()).isFalse();
    assertThat(c.oldBody().problem()).contains("limits.max-decoded-bytes");
  }

  @Test
  void statusMessageAndTrailersAreCompared() {
    RecordedResponse old = answer(new byte[0], Headers.of("grpc-status", "0", "x-shard", "a", "grpc-status-details-bin", "AAAA"));
    RecordedResponse neu = answer(new byte[0], Headers.of("grpc-status", "0", "x-shard", "b", "grpc-status-details-bin", "BBBB",
        "x-new", "1"));
    Comparison c = compare(old, neu);
    assertThat(c.differences()).extracting(Difference::field).containsExactlyInAnyOrder("trailer:x-shard", "trailer:x-new");
    assertThat(c.differences().get(0).location()).isInstanceOf(Location.Trailer.class);
    // a trailers-only answer (status in the headers, no body) against a full one
    RecordedResponse trailersOnly = new RecordedResponse(200,
        Headers.of("content-type", "application/grpc", "grpc-status", "5", "grpc-message", "no%20such%20user"), new byte[0]);
    Comparison t = compare(answer(framed(response(GrpcBackends.user("Ada", 1, "ACTIVE", 3))), OK), trailersOnly);
    assertThat(t.differences()).extracting(Difference::field, Difference::kind, Difference::newValue).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("grpc-status", DiffKind.VALUE, "5 NOT_FOUND"),
        org.assertj.core.groups.Tuple.tuple("grpc-message", DiffKind.EXTRA, "no such user"),
        org.assertj.core.groups.Tuple.tuple("body", DiffKind.MISSING, null));
  }

  @Test
  void grpcWebTrailersAreReadFromTheBody() {
    byte[] message = framed(response(GrpcBackends.user("Ada", 1, "ACTIVE", 3)));
    RecordedResponse old = web(message, "grpc-status: 0\r\nx-shard: a\r\n");
    RecordedResponse neu = web(message, "grpc-status: 5\r\ngrpc-message: gone\r\nx-shard: a\r\n");
    Comparison c = COMPARATOR.compare(new RecordedRequest("POST", "/shop.v1.Users/GetUser",
        Headers.of("content-type", "application/grpc-web+proto"), GET.body()), old, neu, Rules.defaults());
    assertThat(c.differences()).extracting(Difference::field, Difference::newValue).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("grpc-status", "5 NOT_FOUND"), org.assertj.core.groups.Tuple.tuple("grpc-message", "gone"));
    assertThat(c.oldBody().json().path("user").path("name").asText()).isEqualTo("Ada");
  }

  @Test
  void grpcWebTrailerLinesWithoutAName_areABrokenBody_notAnException() {
    byte[] message = framed(response(GrpcBackends.user("Ada", 1, "ACTIVE", 3)));
    // a name that is only white space, or only control bytes (which trim() takes away too): no header line
    for (String trailers : new String[] {"grpc-status: 0\r\n : x\r\n", "grpc-status: 0\r\n\u0000\u0014:x\r\n", ":x\r\n"}) {
      byte[] body = web(message, trailers).body();
      GrpcFrames.Frames frames = GrpcFrames.read(body, null, 1 << 20, 100);
      assertThat(frames.problem()).as(trailers).contains("are not header lines");
      assertThat(frames.messages()).as(trailers).hasSize(1);
    }
  }

  private static RecordedResponse web(byte[] messages, String trailers) {
    byte[] t = trailers.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] frame = concat(new byte[] {(byte) 0x80, 0, 0, 0, (byte) t.length}, t);
    return new RecordedResponse(200, Headers.of("content-type", "application/grpc-web+proto"), concat(messages, frame));
  }

  @Test
  void aSecretTrailerIsMaskedInSamples() {
    dev.shadowparity.redact.Redaction r = dev.shadowparity.redact.Redaction.of(
        dev.shadowparity.config.ConfigLoader.parse("redact:\n  headers: [x-session]\n", "parity.yaml").redact());
    Difference d = r.difference(new Difference("trailer:x-session", "x-session", DiffKind.VALUE, "abc", "def"));
    assertThat(d.oldValue()).isNotEqualTo("abc");
    assertThat(d.newValue()).isNotEqualTo("def");
  }

  @Test
  void theRawWireFormReadsEveryWireType() {
    // 1: varint 150; 2: "hi"; 3: nested {1: 1}; 4: fixed32 1; 5: fixed64 2; 6: bytes 0x00 0xff; 1 again: 7 (repeated)
    byte[] m = {0x08, (byte) 0x96, 0x01, 0x12, 2, 'h', 'i', 0x1a, 2, 0x08, 0x01, 0x25, 1, 0, 0, 0,
        0x29, 2, 0, 0, 0, 0, 0, 0, 0, 0x32, 2, 0, (byte) 0xff, 0x08, 0x07};
    assertThat(RawWire.read(m).toString())
        .isEqualTo("{\"1\":[150,7],\"2\":\"hi\",\"3\":{\"1\":1},\"4\":1,\"5\":2,\"6\":\"AP8=\"}");
    assertThat(RawWire.read(new byte[] {0x0f})).isNull(); // wire type 7
    assertThat(RawWire.read(new byte[] {0x08})).isNull(); // cut varint
    assertThat(RawWire.read(new byte[] {0x12, 9, 1})).isNull(); // length past the end
    // a negative int64 is its two's complement, never an exception
    assertThat(RawWire.read(new byte[] {0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}).get("1").bigIntegerValue())
        .isEqualTo(new java.math.BigInteger("18446744073709551615"));
  }

  @Test
  void endpointsAreTheCallsPathNeverTemplated() {
    EndpointTemplater t = new EndpointTemplater(List.of(), 500);
    assertThat(t.endpointOf("POST", "/shop.v1.Users/GetUser", "application/grpc")).isEqualTo("grpc /shop.v1.Users/GetUser");
    assertThat(t.endpointOf("POST", "/shop.v1.Users/GetUser", "application/grpc+proto; charset=x"))
        .isEqualTo("grpc /shop.v1.Users/GetUser");
    assertThat(t.endpointOf("POST", "/a.B/C", "application/grpc-web+proto")).isEqualTo("grpc /a.B/C");
    assertThat(t.endpointOf("POST", "/v1/12345678/Get", "application/grpc")).isEqualTo("grpc /v1/12345678/Get");
    assertThat(t.endpointOf("POST", "/x y/\u0001", "application/grpc")).isEqualTo("grpc /x%20y/%01");
    assertThat(t.endpointOf("POST", "/api/users/42", "application/json")).isEqualTo("POST /api/users/{id}");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void onlyAPost_isAGrpcCall_soNoClientMakesAPathAMethod() {
    dev.shadowparity.endpoint.EndpointTemplater t = new dev.shadowparity.endpoint.EndpointTemplater(java.util.List.of(), 100);
    assertThat(t.endpointOf("POST", "/shop.v1.Users/GetUser", "application/grpc")).isEqualTo("grpc /shop.v1.Users/GetUser");
    // a GET with gRPC's Content-Type is an ordinary request: templated, masked, never read as a gRPC method
    assertThat(t.endpointOf("GET", "/shop.v1.Users/12345", "application/grpc")).isEqualTo("GET /shop.v1.Users/{id}");
    assertThat(dev.shadowparity.grpc.GrpcPath.isCall(new dev.shadowparity.engine.RecordedRequest("GET", "/a.B/C",
        dev.shadowparity.engine.Headers.of("content-type", "application/grpc"), null))).isFalse();
  }

  @Test
  void overTheCap_aGrpcAnswerCompressedOnOneSideOnly_isNoSizeDifference_andGrpcEncodingIsNotCompared() throws Exception {
    // OLD gzips its messages (2 KB on the wire), NEW sends the same 2.5 MB uncompressed: legal gRPC, the same answer
    byte[] big = new byte[2_500_000];
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
      gz.write(big);
    }
    byte[] message = zipped.toByteArray();
    byte[] framed = new byte[5 + message.length];
    framed[0] = 1;
    java.nio.ByteBuffer.wrap(framed, 1, 4).putInt(message.length);
    System.arraycopy(message, 0, framed, 5, message.length);
    dev.shadowparity.engine.RecordedResponse old = new dev.shadowparity.engine.RecordedResponse(200,
        dev.shadowparity.engine.Headers.of("content-type", "application/grpc", "grpc-encoding", "gzip"), framed, 0,
        dev.shadowparity.engine.Headers.of("grpc-status", "0"));
    dev.shadowparity.engine.OversizedResponse neu = new dev.shadowparity.engine.OversizedResponse(200,
        dev.shadowparity.engine.Headers.of("content-type", "application/grpc"), 5L + big.length, null, 0);
    dev.shadowparity.engine.Comparison c = dev.shadowparity.engine.ResponseComparator.create()
        .compareLarge(old, neu, dev.shadowparity.engine.Rules.defaults());
    // nothing can be said from the sizes, and the framing's grpc-encoding is no header difference
    assertThat(c == null ? java.util.List.of() : c.differences()).isEmpty();
  }

  @Test
  void aStreamPastMaxMessages_isCountedAsNotCompared_neverTakenForEqual() {
    dev.shadowparity.ParityEngine engine = new dev.shadowparity.ParityEngine(
        dev.shadowparity.config.ConfigLoader.parse("grpc: {max-messages: 2, reflection: false}", "test.yaml"));
    // five messages {1: i}; NEW differs at the fourth, past the cap
    java.util.List<byte[]> old = new java.util.ArrayList<>();
    java.util.List<byte[]> neu = new java.util.ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      old.add(new byte[] {0x08, (byte) i});
      neu.add(new byte[] {0x08, (byte) (i == 4 ? 40 : i)});
    }
    dev.shadowparity.engine.Headers grpc = dev.shadowparity.engine.Headers.of("content-type", "application/grpc");
    dev.shadowparity.engine.Headers ok = dev.shadowparity.engine.Headers.of("grpc-status", "0");
    engine.process(new dev.shadowparity.engine.Exchange(
        new dev.shadowparity.engine.RecordedRequest("POST", "/shop.Catalog/List", grpc, GrpcFrames.frame(java.util.List.of(new byte[] {0x08, 0x05}))),
        new dev.shadowparity.engine.RecordedResponse(200, grpc, GrpcFrames.frame(old), 0, ok),
        new dev.shadowparity.engine.RecordedResponse(200, grpc, GrpcFrames.frame(neu), 0, ok)));
    dev.shadowparity.report.EndpointReport r = engine.ledger().report().endpoint("grpc /shop.Catalog/List");
    assertThat(r.compared()).isEqualTo(1);
    assertThat(r.partsNotCompared()).containsEntry("grpc: messages past max-messages", 1L);
  }
}
