package dev.shadowparity.engine.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.shadowparity.engine.BodyKind;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.MediaType;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.Rules;
import dev.shadowparity.grpc.GrpcFrames;
import dev.shadowparity.grpc.GrpcPath;
import dev.shadowparity.grpc.GrpcSchemas;
import dev.shadowparity.grpc.ProtoJson;
import dev.shadowparity.grpc.RawWire;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares two answers to a gRPC call (docs/protocols.md, "gRPC"): the HTTP status; the headers as usual, without
 * the gRPC ones that are compared apart; {@code grpc-status} (field {@code grpc-status}, shown as {@code 5 NOT_FOUND})
 * and {@code grpc-message} (percent-decoded), from the trailers or, in a trailers-only answer, from the headers; the
 * other trailers (field {@code trailer:<name>}, the header rules' ignore lists applying); and the messages, decoded
 * by the method's types (or by field number) into JSON and diffed by {@link JsonDiffer}: a unary call's one message
 * at the root ({@code /user/status}), a server stream's messages as an array ({@code /0/user/status}).
 */
final class GrpcComparison {

  /** Headers that carry the framing's encoding or gRPC's own status: compared apart or not at all. */
  private static final Set<String> GRPC_HEADERS = Set.of("grpc-status", "grpc-message", "grpc-status-details-bin",
      "grpc-encoding", "grpc-accept-encoding");
  /**
   * Trailers not compared unless {@code compare-headers} names them: {@code grpc-status-details-bin} repeats the status
   * and message in a {@code google.rpc.Status}, often with debug details (a stack trace) that differ between two stacks.
   */
  static final Set<String> DEFAULT_IGNORED_TRAILERS = Set.of("grpc-status-details-bin");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long maxDecodedBytes;
  private final GrpcSchemas schemas;
  private final DiffSink sink;
  private final Rules rules;
  private final int maxAligned;

  GrpcComparison(long maxDecodedBytes, GrpcSchemas schemas, DiffSink sink, Rules rules, int maxAligned) {
    this.maxDecodedBytes = maxDecodedBytes;
    this.schemas = schemas;
    this.sink = sink;
    this.rules = rules;
    this.maxAligned = maxAligned;
  }

  /** The decoded bodies of both sides, for the comparison's result. */
  /** @param streamTail whether either stream went past {@code max-messages}: its later messages were not compared */
  record Bodies(DecodedBody oldBody, DecodedBody newBody, boolean streamTail) {}

  Bodies compare(String path, RecordedResponse a, RecordedResponse b) {
    return compare(path, a, b, dev.shadowparity.engine.Sides.OLD_NEW);
  }

  /**
   * @param sides which stacks answered: with {@link dev.shadowparity.engine.Sides#OLD_OLD} both answers are read with
   *              OLD's types, so two OLD answers never differ by NEW's schema (which would be learned as noise)
   */
  Bodies compare(String path, RecordedResponse a, RecordedResponse b, dev.shadowparity.engine.Sides sides) {
    if (a.status() != b.status()) {
      sink.add("status", "", DiffKind.VALUE, Integer.toString(a.status()), Integer.toString(b.status()));
    }
    Headers ha = withoutGrpc(a.headers());
    Headers hb = withoutGrpc(b.headers());
    HeaderDiffer.diff(ha, MediaType.parse(ha.get("content-type")), hb, MediaType.parse(hb.get("content-type")), rules, sink);
    GrpcFrames.Frames fa = GrpcFrames.read(a.body(), a.headers().get("grpc-encoding"), maxDecodedBytes, schemas.maxMessages());
    GrpcFrames.Frames fb = GrpcFrames.read(b.body(), b.headers().get("grpc-encoding"), maxDecodedBytes, schemas.maxMessages());
    Headers trailersA = trailers(a, fa);
    Headers trailersB = trailers(b, fb);
    diffValue("grpc-status", code(a, trailersA), code(b, trailersB), true);
    diffValue("grpc-message", GrpcPath.decodeMessage(value(a, trailersA, "grpc-message")),
        GrpcPath.decodeMessage(value(b, trailersB, "grpc-message")), false);
    diffTrailers(trailersA, trailersB);
    GrpcSchemas.Methods methods = path == null ? new GrpcSchemas.Methods(null, null, "raw") : schemas.methods(path);
    MethodDescriptor methodA = methods.oldMethod();
    MethodDescriptor methodB = sides == dev.shadowparity.engine.Sides.OLD_OLD ? methods.oldMethod() : methods.newMethod();
    boolean stream = methods.raw() ? fa.messages().size() > 1 || fb.messages().size() > 1 || fa.truncated() || fb.truncated()
        : methods.oldMethod().isServerStreaming();
    Descriptor typeA = methodA == null ? null : methodA.getOutputType();
    Descriptor typeB = methodB == null ? null : methodB.getOutputType();
    DecodedBody da = decode(a.body(), fa, typeA, typeB, stream);
    DecodedBody db = decode(b.body(), fb, typeB, typeA, stream);
    if (rules.comparesBodies()) {
      diffBodies(da, db);
    }
    return new Bodies(da, db, fa.truncated() || fb.truncated());
  }

  private void diffBodies(DecodedBody a, DecodedBody b) {
    if (!a.isDecoded() || !b.isDecoded()) {
      if (!a.isDecoded() && !b.isDecoded() && Arrays.equals(a.bytes(), b.bytes())) {
        return;
      }
      sink.add("body", "", DiffKind.UNDECODABLE, a.isDecoded() ? "decoded: " + a.text() : a.problem(),
          b.isDecoded() ? "decoded: " + b.text() : b.problem());
      return;
    }
    if (a.kind() == BodyKind.EMPTY || b.kind() == BodyKind.EMPTY) {
      if (a.kind() != b.kind()) {
        boolean oldEmpty = a.kind() == BodyKind.EMPTY;
        sink.add("body", "", oldEmpty ? DiffKind.EXTRA : DiffKind.MISSING, oldEmpty ? null : a.text(), oldEmpty ? b.text() : null);
      }
      return;
    }
    new JsonDiffer(rules, sink, maxAligned).diff(a.json(), b.json());
  }

  /**
   * The messages as one JSON tree: a unary answer's message (an empty body when there is none), a stream's messages as
   * an array. A message that does not parse with its type, or framing that does not read, makes the body undecodable.
   * Defaults are filled only for fields the other side's type knows too ({@link ProtoJson#parse(Descriptor, Descriptor, byte[])}).
   */
  private DecodedBody decode(byte[] raw, GrpcFrames.Frames frames, Descriptor type, Descriptor otherType, boolean stream) {
    if (!frames.ok()) {
      return DecodedBody.undecodable(BodyKind.BINARY, raw, frames.problem());
    }
    List<byte[]> messages = frames.messages();
    if (!stream && messages.isEmpty()) {
      return DecodedBody.of(BodyKind.EMPTY, raw, null, null, null);
    }
    if (!stream && messages.size() > 1) {
      return DecodedBody.undecodable(BodyKind.BINARY, raw, "a unary call answered with " + messages.size() + " messages");
    }
    ArrayNode all = JsonNodeFactory.instance.arrayNode(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m;
      if (type != null) {
        try {
          m = ProtoJson.parse(type, otherType, messages.get(i));
        } catch (InvalidProtocolBufferException e) {
          return DecodedBody.undecodable(BodyKind.BINARY, raw, "gRPC message " + i + " is not a " + type.getFullName() + ": "
              + e.getMessage());
        }
      } else {
        m = RawWire.read(messages.get(i));
        if (m == null) {
          return DecodedBody.undecodable(BodyKind.BINARY, raw, "gRPC message " + i + " is not a protobuf message");
        }
      }
      all.add(m);
    }
    JsonNode tree = stream ? all : all.get(0);
    String text;
    try {
      text = JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
    return DecodedBody.of(BodyKind.JSON, text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, text, tree);
  }

  static Headers withoutGrpc(Headers h) {
    boolean any = false;
    for (String n : GRPC_HEADERS) {
      any |= h.contains(n);
    }
    if (!any) {
      return h;
    }
    Headers.Builder b = h.toBuilder();
    GRPC_HEADERS.forEach(b::remove);
    return b.build();
  }

  /** The answer's trailers, and gRPC-Web's from its body. */
  private static Headers trailers(RecordedResponse r, GrpcFrames.Frames frames) {
    if (frames.trailers().isEmpty()) {
      return r.trailers();
    }
    Headers.Builder b = r.trailers().toBuilder();
    frames.trailers().entries().forEach(e -> b.add(e.getKey(), e.getValue()));
    return b.build();
  }

  /** A header of the trailers, else (a trailers-only answer) of the headers. */
  private static String value(RecordedResponse r, Headers trailers, String name) {
    String v = trailers.get(name);
    return v != null ? v : r.headers().get(name);
  }

  private static String code(RecordedResponse r, Headers trailers) {
    String v = value(r, trailers, "grpc-status");
    return v == null ? null : v.trim();
  }

  private void diffValue(String field, String a, String b, boolean status) {
    if (a == null && b == null || (a != null && a.equals(b))) {
      return;
    }
    String shownA = status ? GrpcPath.describeStatus(a) : a;
    String shownB = status ? GrpcPath.describeStatus(b) : b;
    DiffKind kind = a == null ? DiffKind.EXTRA : b == null ? DiffKind.MISSING : DiffKind.VALUE;
    sink.add(field, field, kind, shownA, shownB);
  }

  private void diffTrailers(Headers a, Headers b) {
    Map<String, String> ta = trailers(a);
    Map<String, String> tb = trailers(b);
    for (Map.Entry<String, String> e : ta.entrySet()) {
      String other = tb.get(e.getKey());
      if (other == null) {
        sink.add("trailer:" + e.getKey(), e.getKey(), DiffKind.MISSING, e.getValue(), null);
      } else if (!other.equals(e.getValue())) {
        sink.add("trailer:" + e.getKey(), e.getKey(), DiffKind.VALUE, e.getValue(), other);
      }
    }
    for (Map.Entry<String, String> e : tb.entrySet()) {
      if (!ta.containsKey(e.getKey()) && rules.countsExtraHeaders()) {
        sink.add("trailer:" + e.getKey(), e.getKey(), DiffKind.EXTRA, null, e.getValue());
      }
    }
  }

  /** Trailers by lower-case name (values of one name joined), without gRPC's own and the ignored ones. */
  private Map<String, String> trailers(Headers h) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : h.entries()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("grpc-status") || name.equals("grpc-message")) {
        continue;
      }
      boolean compared = rules.comparedHeaders().contains(name);
      if (!compared && (DEFAULT_IGNORED_TRAILERS.contains(name) || rules.ignoresLowerCaseHeader(name))) {
        continue;
      }
      String v = Whitespace.collapse(e.getValue());
      out.merge(name, v, (x, y) -> x + ", " + y);
    }
    return out;
  }
}
