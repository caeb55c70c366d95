package dev.shadowparity.engine.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.BodyKind;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.OversizedResponse;
import dev.shadowparity.engine.CompareOptions;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.MediaType;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import dev.shadowparity.grpc.GrpcPath;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** The comparison pipeline: decode both bodies, then diff status, headers and body. */
public final class DefaultResponseComparator implements ResponseComparator {

  private final CompareOptions options;
  private final BodyDecoder decoder;

  public DefaultResponseComparator(CompareOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.decoder = new BodyDecoder(options.getMaxDecodedBytes());
  }

  /** Where gRPC calls' message types are found. */
  public dev.shadowparity.grpc.GrpcSchemas grpcSchemas() {
    return options.getGrpcSchemas();
  }

  @Override
  public DecodedBody decode(RecordedResponse response) {
    return decoder.decode(response.headers(), response.body());
  }

  @Override
  public DecodedBody decode(Headers headers, byte[] body) {
    return decoder.decode(headers, body);
  }

  @Override
  public Comparison compare(dev.shadowparity.engine.RecordedRequest request, RecordedResponse oldResponse,
      RecordedResponse newResponse, Rules rules) {
    return compare(request, oldResponse, newResponse, rules, dev.shadowparity.engine.Sides.OLD_NEW);
  }

  @Override
  public Comparison compare(dev.shadowparity.engine.RecordedRequest request, RecordedResponse oldResponse,
      RecordedResponse newResponse, Rules rules, dev.shadowparity.engine.Sides sides) {
    boolean grpc = request != null ? GrpcPath.isCall(request)
        : GrpcPath.isGrpc(oldResponse.headers().get("content-type")) && GrpcPath.isGrpc(newResponse.headers().get("content-type"));
    if (!grpc) {
      return compare(oldResponse, newResponse, rules);
    }
    DiffSink sink = new DiffSink(options.getMaxDifferences(), options.getMaxValueLength());
    GrpcComparison.Bodies bodies = new GrpcComparison(options.getMaxDecodedBytes(), options.getGrpcSchemas(), sink, rules,
        options.getMaxAlignedElements()).compare(request == null ? null : request.path(), oldResponse, newResponse, sides);
    return new Comparison(sink.differences(), sink.truncated(), bodies.oldBody(), bodies.newBody(),
        bodies.streamTail() ? java.util.Set.of(dev.shadowparity.engine.Unrecorded.STREAM_TAIL) : java.util.Set.of());
  }

  @Override
  public Comparison compare(RecordedResponse oldResponse, RecordedResponse newResponse, Rules rules) {
    DiffSink sink = new DiffSink(options.getMaxDifferences(), options.getMaxValueLength());
    if (oldResponse.status() != newResponse.status()) {
      sink.add("status", "", DiffKind.VALUE, Integer.toString(oldResponse.status()), Integer.toString(newResponse.status()));
    }
    MediaType oldType = MediaType.parse(oldResponse.headers().get("content-type"));
    MediaType newType = MediaType.parse(newResponse.headers().get("content-type"));
    HeaderDiffer.diff(oldResponse.headers(), oldType, newResponse.headers(), newType, rules, sink);
    if (sameBody(oldResponse, newResponse)) {
      // the same bytes under the same Content-Type and Content-Encoding decode to the same body: there is nothing in
      // it to find, and its decoding (one, shared) is made only if something asks for it (a sample, when the status
      // or a header differs)
      DecodedBody same = DecodedBody.lazy(() -> decoder.decode(oldResponse.headers(), oldResponse.body(), oldType));
      return new Comparison(sink.differences(), sink.truncated(), same, same);
    }
    DecodedBody oldBody = decoder.decode(oldResponse.headers(), oldResponse.body(), oldType);
    DecodedBody newBody = decoder.decode(newResponse.headers(), newResponse.body(), newType);
    if (rules.comparesBodies()) {
      diffBodies(oldBody, newBody, rules, sink);
    }
    return new Comparison(sink.differences(), sink.truncated(), oldBody, newBody);
  }

  @Override
  public Comparison compareLarge(BackendResult oldResult, BackendResult newResult, Rules rules) {
    DiffSink sink = new DiffSink(options.getMaxDifferences(), options.getMaxValueLength());
    int oldStatus = status(oldResult);
    int newStatus = status(newResult);
    if (oldStatus != newStatus) {
      sink.add("status", "", DiffKind.VALUE, Integer.toString(oldStatus), Integer.toString(newStatus));
    }
    Headers oldHeaders = headers(oldResult);
    Headers newHeaders = headers(newResult);
    boolean grpc = GrpcPath.isGrpc(oldHeaders.get("content-type")) && GrpcPath.isGrpc(newHeaders.get("content-type"));
    // gRPC's messages may be compressed on one side only (grpc-encoding, per message: legal either way), so their
    // sizes say nothing unless both are sent uncompressed; and grpc-encoding is the framing's, never compared
    boolean grpcCompressed = grpc && (!grpcIdentity(oldHeaders) || !grpcIdentity(newHeaders));
    if (grpc) {
      oldHeaders = GrpcComparison.withoutGrpc(oldHeaders);
      newHeaders = GrpcComparison.withoutGrpc(newHeaders);
    }
    MediaType oldType = MediaType.parse(oldHeaders.get("content-type"));
    MediaType newType = MediaType.parse(newHeaders.get("content-type"));
    HeaderDiffer.diff(oldHeaders, oldType, newHeaders, newType, rules, sink);
    boolean bodiesJudged;
    if (!rules.comparesBodies()) {
      bodiesJudged = true; // OLD's body was never recorded: status and headers are all there is to judge
    } else if (oldResult instanceof OversizedResponse o && newResult instanceof OversizedResponse n) {
      String oldEncoding = encoding(o.headers());
      boolean sameBytes = o.digest() != null && o.digest().equals(n.digest()) && o.bodyBytes() == n.bodyBytes()
          && oldEncoding.equals(encoding(n.headers()));
      bodiesJudged = sameBytes;
    } else if (grpcCompressed) {
      bodiesJudged = false; // one side's messages compressed: far apart in size means nothing
    } else {
      // one side kept, the other over the cap: far apart in size is a difference, unread. The kept side is measured
      // decoded (its Content-Encoding undone); the other only as sent, which for an encoded body is a lower bound of
      // its decoded size, so only "far larger" can be told of it
      OversizedResponse big = oldResult instanceof OversizedResponse o ? o : (OversizedResponse) newResult;
      RecordedResponse kept = oldResult instanceof RecordedResponse r ? r : (RecordedResponse) newResult;
      DecodedSize keptSize = decodedSize(kept);
      long bigSize = big.bodyBytes();
      // a size known exactly can be told far smaller or far larger; a lower bound (an encoded body whose decoded
      // size is unknown) only far larger
      boolean bigExact = encoding(big.headers()).equals("identity") && big.digest() != null;
      bodiesJudged = (keptSize.exact() && bigSize / SIZE_RATIO > keptSize.bytes())
          || (bigExact && keptSize.bytes() / SIZE_RATIO > bigSize);
      if (bodiesJudged) {
        sink.add("body", "", DiffKind.SIZE, sizeText(oldResult, keptSize.bytes()), sizeText(newResult, keptSize.bytes()));
      }
    }
    if (!bodiesJudged && sink.differences().isEmpty()) {
      return null;
    }
    return new Comparison(sink.differences(), sink.truncated(), null, null);
  }

  private static int status(BackendResult r) {
    return r instanceof OversizedResponse o ? o.status() : ((RecordedResponse) r).status();
  }

  private static Headers headers(BackendResult r) {
    return r instanceof OversizedResponse o ? o.headers() : ((RecordedResponse) r).headers();
  }

  /** A size, and whether it is exact or only a lower bound. */
  private record DecodedSize(long bytes, boolean exact) {}

  /**
   * A kept body's size with its Content-Encoding undone: exact when it has none or it was undone; else its size as
   * sent, a lower bound (it may decompress past {@code max-decoded-bytes}).
   */
  private DecodedSize decodedSize(RecordedResponse r) {
    if (!r.headers().contains("content-encoding")) {
      return new DecodedSize(r.body().length, true);
    }
    DecodedBody d = decoder.decode(r.headers(), r.body());
    boolean undone = d.isDecoded() || (d.bytes() != r.body() && d.bytes().length != r.body().length);
    return undone ? new DecodedSize(d.bytes().length, true) : new DecodedSize(r.body().length, false);
  }

  /** Byte-identical bodies whose Content-Type and Content-Encoding headers are the same text (or both absent). */
  private static boolean sameBody(RecordedResponse a, RecordedResponse b) {
    return Arrays.equals(a.body(), b.body())
        && java.util.Objects.equals(a.headers().get("content-type"), b.headers().get("content-type"))
        && java.util.Objects.equals(a.headers().getAll("content-encoding"), b.headers().getAll("content-encoding"));
  }

  private static boolean grpcIdentity(Headers h) {
    String e = h.get("grpc-encoding");
    return e == null || e.trim().equalsIgnoreCase("identity");
  }

  private static String encoding(Headers h) {
    String e = h.get("content-encoding");
    return e == null ? "identity" : e.trim().toLowerCase(java.util.Locale.ROOT);
  }

  private static String sizeText(BackendResult r, long keptSize) {
    if (r instanceof OversizedResponse o) {
      return (o.digest() == null ? "over " : "") + o.bodyBytes() + " bytes (over the copy cap, not kept)";
    }
    return keptSize + " bytes";
  }

  private void diffBodies(DecodedBody a, DecodedBody b, Rules rules, DiffSink sink) {
    if (!a.isDecoded() || !b.isDecoded()) {
      if (!a.isDecoded() && !b.isDecoded() && Arrays.equals(a.bytes(), b.bytes())) {
        return; // equally broken on both sides
      }
      sink.add("body", "", DiffKind.UNDECODABLE, summary(a), summary(b));
      return;
    }
    BodyKind ka = a.kind();
    BodyKind kb = b.kind();
    if (ka == BodyKind.EMPTY || kb == BodyKind.EMPTY) {
      if (ka != kb) {
        boolean oldEmpty = ka == BodyKind.EMPTY;
        sink.add("body", "", oldEmpty ? DiffKind.EXTRA : DiffKind.MISSING,
            oldEmpty ? null : preview(a), oldEmpty ? preview(b) : null);
      }
      return;
    }
    JsonNode ja = a.json();
    JsonNode jb = b.json();
    if (ja != null || jb != null) {
      if (ja == null) {
        ja = parseLoosely(a);
      }
      if (jb == null) {
        jb = parseLoosely(b);
      }
      if (ja == null || jb == null) {
        sink.add("body", "", DiffKind.TYPE, ka.wireName() + ": " + preview(a), kb.wireName() + ": " + preview(b));
        return;
      }
      new JsonDiffer(rules, sink, options.getMaxAlignedElements()).diff(ja, jb);
      return;
    }
    if (ka.isText() && kb.isText()) {
      TextDiffer.diff(a.text(), b.text(), rules.foldWhitespace(), options.getContextLines(), options.getMaxDiffLines(), sink);
      return;
    }
    if (ka != kb) {
      sink.add("body", "", DiffKind.TYPE, ka.wireName() + ": " + preview(a), kb.wireName() + ": " + preview(b));
      return;
    }
    if (!Arrays.equals(a.bytes(), b.bytes())) {
      sink.add("body", "", DiffKind.VALUE, binarySummary(a.bytes()), binarySummary(b.bytes()));
    }
  }

  /** A text body that holds JSON after all (when the other side is JSON). */
  private static JsonNode parseLoosely(DecodedBody body) {
    String text = body.text();
    if (text == null) {
      return null;
    }
    try {
      return CanonicalJson.read(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String summary(DecodedBody body) {
    if (!body.isDecoded()) {
      return body.problem();
    }
    return body.kind().wireName() + ", decoded (" + body.bytes().length + " bytes)";
  }

  private String preview(DecodedBody body) {
    String text = body.text();
    return text != null ? text : binarySummary(body.bytes());
  }

  private static String binarySummary(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return bytes.length + " bytes, sha256 " + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
