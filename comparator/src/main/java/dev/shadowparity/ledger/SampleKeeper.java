package dev.shadowparity.ledger;

import dev.shadowparity.config.LimitsConfig;
import dev.shadowparity.engine.BackendFailure;
import dev.shadowparity.engine.BackendResult;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DecodedBody;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.OversizedResponse;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.redact.Redaction;
import dev.shadowparity.report.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bounded samples of the ledger: which exchanges are kept (per field and per endpoint, reserved atomically so
 * the caps are exact), and how one becomes a {@link Sample}, secrets masked.
 */
final class SampleKeeper {

  private final LimitsConfig limits;
  private final Redaction redaction;
  private final Clock clock;
  private final ProblemLog problems;
  /** Decodes content-encoded request bodies, as the comparison decodes answers (through the engine's API). */
  private final dev.shadowparity.engine.ResponseComparator decoder;

  SampleKeeper(LimitsConfig limits, Redaction redaction, Clock clock, ProblemLog problems) {
    this.limits = limits;
    this.redaction = redaction;
    this.clock = clock;
    this.problems = problems;
    this.decoder = dev.shadowparity.engine.ResponseComparator.create(
        new dev.shadowparity.engine.CompareOptions().setMaxDecodedBytes(limits.maxDecodedBytes()));
  }

  /** Keeps a sample made by {@code make} for the fields that still have room, within both caps; false when none had. */
  boolean keep(EndpointStats s, List<String> fields, java.util.function.Supplier<Sample> make) {
    if (limits.samplesPerField() == 0 || limits.samplesPerEndpoint() == 0) {
      return false;
    }
    List<EndpointStats.SampleSlot> wanting = new ArrayList<>(fields.size());
    for (String field : fields) {
      EndpointStats.SampleSlot slot = s.samples.computeIfAbsent(field, f -> new EndpointStats.SampleSlot());
      if (slot.reserve(limits.samplesPerField())) {
        wanting.add(slot);
      }
    }
    if (wanting.isEmpty()) {
      return false;
    }
    if (s.sampleCount.incrementAndGet() > limits.samplesPerEndpoint()) {
      s.sampleCount.decrementAndGet();
      wanting.forEach(EndpointStats.SampleSlot::release);
      return false;
    }
    Sample sample;
    try {
      sample = make.get();
    } catch (RuntimeException e) {
      // a sample is an illustration: failing to make one must not cost the exchange its count
      s.sampleCount.decrementAndGet();
      wanting.forEach(EndpointStats.SampleSlot::release);
      problems.failed("(samples)", "making a sample", e, "the exchange is counted without a sample");
      return false;
    }
    for (EndpointStats.SampleSlot slot : wanting) {
      slot.samples.add(sample);
    }
    return true;
  }

  /** A sample of an exchange; {@code error} (masked here) says why it failed or could not be judged. */
  Sample make(Exchange exchange, Comparison comparison, List<String> fields, String error) {
    return make(exchange, comparison, fields, error, null);
  }

  /** As {@link #make(Exchange, Comparison, List, String)}, with the write that likely explains a mismatching read. */
  Sample make(Exchange exchange, Comparison comparison, List<String> fields, String error,
      dev.shadowparity.drift.UnmirroredWrites.Write write) {
    RecordedRequest req = exchange.request();
    String reqBody = req.body().length == 0 ? null : truncate(redaction.body(requestText(req)));
    Sample.Request request = new Sample.Request(req.method(), redaction.uri(req.uri()), redaction.headers(req.headers()), reqBody);
    return new Sample(clock.instant(), fields, request,
        exchange.oldUnrecorded().contains(dev.shadowparity.engine.Unrecorded.BODY) ? unrecorded(exchange.oldResult())
            : response(exchange.oldResult(), comparison == null ? null : comparison.oldBody()),
        response(exchange.newResult(), comparison == null ? null : comparison.newBody()),
        comparison == null ? null : redaction.differences(comparison.differences()), error == null ? null : redaction.body(error),
        write == null ? null : write.method() + " " + redaction.uri(write.path()) + " (OLD answered " + write.status() + ") at "
            + write.at() + " reached OLD only");
  }

  /** A request body as text for a sample: content-encoded ones decoded first, so that masking sees their text. */
  private String requestText(RecordedRequest req) {
    if (dev.shadowparity.grpc.GrpcPath.isCall(req)) {
      return grpcRequestText(req);
    }
    if (!req.headers().contains("content-encoding")) {
      return new String(req.body(), StandardCharsets.UTF_8);
    }
    DecodedBody d = decoder.decode(req.headers(), req.body());
    if (d.isDecoded() && d.text() != null) {
      return d.text();
    }
    return req.body().length + " bytes, " + req.headers().get("content-encoding") + "-encoded"
        + (d.isDecoded() ? " binary data" : ", not decodable (" + d.problem() + ")");
  }

  /**
   * A gRPC request's messages for a sample, read by field number (the request's types are not looked up for a sample):
   * {@code [{"1": 42}]}; or why they could not be read. At most 10 messages.
   */
  private String grpcRequestText(RecordedRequest req) {
    dev.shadowparity.grpc.GrpcFrames.Frames f = dev.shadowparity.grpc.GrpcFrames.read(req.body(),
        req.headers().get("grpc-encoding"), limits.maxDecodedBytes(), 10);
    if (!f.ok()) {
      return req.body().length + " bytes of gRPC request, not readable: " + f.problem();
    }
    com.fasterxml.jackson.databind.node.ArrayNode messages = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    for (byte[] m : f.messages()) {
      com.fasterxml.jackson.databind.JsonNode json = dev.shadowparity.grpc.RawWire.read(m);
      messages.add(json != null ? json
          : com.fasterxml.jackson.databind.node.TextNode.valueOf(java.util.Base64.getEncoder().encodeToString(m)));
    }
    return "gRPC request messages by field number" + (f.truncated() ? " (the first 10)" : "") + ": " + messages;
  }

  /** OLD's recorded answer whose body the capture did not keep: its status and headers, and no body at all. */
  private Sample.Response unrecorded(BackendResult result) {
    if (!(result instanceof RecordedResponse r)) {
      return response(result, null);
    }
    return new Sample.Response(r.status(), redaction.headers(r.headers()), null, null, null,
        dev.shadowparity.engine.Unrecorded.BODY.reason() + " (the capture did not keep it)", millis(r.latencyNanos()));
  }

  private Sample.Response response(BackendResult result, DecodedBody body) {
    if (result instanceof OversizedResponse o) {
      return new Sample.Response(o.status(), redaction.headers(o.headers()), null,
          (o.digest() == null ? "more than " : "") + o.bodyBytes() + " bytes, over the copy cap: not kept"
              + (o.digest() == null ? "" : " (digest " + o.digest() + ")"), null, null, millis(o.latencyNanos()));
    }
    if (!(result instanceof RecordedResponse r)) {
      BackendFailure f = (BackendFailure) result;
      return new Sample.Response(null, null, null, null, null, f.kind().wireName() + ": " + f.message(), millis(f.latencyNanos()));
    }
    String text;
    String kind;
    String problem = null;
    if (body == null) {
      kind = null;
      text = r.body().length == 0 ? null : new String(r.body(), StandardCharsets.UTF_8);
    } else {
      kind = body.kind().wireName();
      problem = body.problem() == null ? null : redaction.body(body.problem());
      text = body.text();
      if (text == null) {
        text = body.isDecoded() ? body.bytes().length + " bytes of binary data" : new String(body.bytes(), StandardCharsets.UTF_8);
      }
    }
    text = redaction.body(text);
    boolean cut = text != null && text.length() > limits.sampleBodyBytes();
    return new Sample.Response(r.status(), redaction.headers(r.headers()), kind, text == null ? null : truncate(text),
        cut ? Boolean.TRUE : null, problem, millis(r.latencyNanos()));
  }

  private String truncate(String text) {
    return text.length() <= limits.sampleBodyBytes() ? text : text.substring(0, limits.sampleBodyBytes());
  }

  private static Double millis(long nanos) {
    return nanos <= 0 ? null : nanos / 1e6;
  }

  /** The samples of an endpoint, newest last, each once. */
  List<Sample> all(EndpointStats s) {
    Map<Sample, Boolean> unique = new IdentityHashMap<>();
    List<Sample> all = new ArrayList<>();
    for (EndpointStats.SampleSlot slot : s.samples.values()) {
      for (Sample sample : slot.samples) {
        if (unique.put(sample, Boolean.TRUE) == null) {
          all.add(sample);
        }
      }
    }
    all.sort(Comparator.comparing(Sample::at));
    return all;
  }
}
