package dev.shadowparity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.config.ParityConfig;
import dev.shadowparity.engine.CompareOptions;
import dev.shadowparity.engine.Comparison;
import dev.shadowparity.engine.DiffKind;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.engine.Exchange;
import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedRequest;
import dev.shadowparity.engine.RecordedResponse;
import dev.shadowparity.engine.ResponseComparator;
import dev.shadowparity.engine.Rules;
import dev.shadowparity.engine.Sides;
import dev.shadowparity.grpc.DescriptorSet;
import dev.shadowparity.grpc.GrpcBackends;
import dev.shadowparity.grpc.GrpcFrames;
import dev.shadowparity.grpc.GrpcSchemas;
import dev.shadowparity.grpc.ProtoJson;
import dev.shadowparity.ledger.Ledger;
import dev.shadowparity.redact.Redaction;
import dev.shadowparity.report.EndpointReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OLD and NEW with different schemas (as each backend's reflection gives them), built by hand: which side's types read
 * which answer, which defaults are filled in, and two gaps of the decoding (a Timestamp past Instant's range, gRPC-Web
 * trailers after a truncated stream).
 */
class GrpcSchemaSidesTest {

  private static final String PATH = "/shop.v1.Items/Get";
  private static final RecordedRequest REQUEST = new RecordedRequest("POST", PATH,
      Headers.of("content-type", "application/grpc"), GrpcFrames.frame(List.of(new byte[] {0x08, 0x07})));
  private static final Headers OK = Headers.of("grpc-status", "0");

  /**
   * {@code enum Stock { STOCK_UNSPECIFIED = 0; <stockOne> = 1; [LIMITED = 2;] } message Item { int32 id = 1; Stock
   * stock = 4; [int32 <extra> = 2;] } message Wrapper { Item item = 1; } service Items { rpc Get(Item) returns (Item);
   * rpc Wrapped(Item) returns (Wrapper); }}
   */
  private static Descriptors.FileDescriptor file(String stockOne, boolean limited, String extra) {
    EnumDescriptorProto.Builder stock = EnumDescriptorProto.newBuilder().setName("Stock")
        .addValue(EnumValueDescriptorProto.newBuilder().setName("STOCK_UNSPECIFIED").setNumber(0))
        .addValue(EnumValueDescriptorProto.newBuilder().setName(stockOne).setNumber(1));
    if (limited) {
      stock.addValue(EnumValueDescriptorProto.newBuilder().setName("LIMITED").setNumber(2));
    }
    DescriptorProto.Builder item = DescriptorProto.newBuilder().setName("Item")
        .addField(GrpcBackends.field("id", 1, FieldDescriptorProto.Type.TYPE_INT32, null))
        .addField(GrpcBackends.field("stock", 4, FieldDescriptorProto.Type.TYPE_ENUM, ".shop.v1.Stock"));
    if (extra != null) {
      item.addField(GrpcBackends.field(extra, 2, FieldDescriptorProto.Type.TYPE_INT32, null));
    }
    FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName("shop/v1/items.proto").setPackage("shop.v1")
        .setSyntax("proto3").addEnumType(stock).addMessageType(item)
        .addMessageType(DescriptorProto.newBuilder().setName("Wrapper")
            .addField(GrpcBackends.field("item", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".shop.v1.Item")))
        .addService(ServiceDescriptorProto.newBuilder().setName("Items")
            .addMethod(MethodDescriptorProto.newBuilder().setName("Get").setInputType(".shop.v1.Item").setOutputType(".shop.v1.Item"))
            .addMethod(MethodDescriptorProto.newBuilder().setName("Wrapped").setInputType(".shop.v1.Item")
                .setOutputType(".shop.v1.Wrapper")))
        .build();
    try {
      return Descriptors.FileDescriptor.buildFrom(proto, new Descriptors.FileDescriptor[0]);
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Descriptors.FileDescriptor OLD = file("IN_STOCK", false, null);
  private static final Descriptors.FileDescriptor NEW = file("AVAILABLE", true, "added");
  private static final GrpcSchemas SCHEMAS = GrpcSchemas.perSide(DescriptorSet.of(List.of(OLD.toProto())),
      DescriptorSet.of(List.of(NEW.toProto())), 100);
  private static final ResponseComparator COMPARATOR = ResponseComparator.create(new CompareOptions().setGrpcSchemas(SCHEMAS));

  private static RecordedResponse answer(int... bytes) {
    byte[] m = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      m[i] = (byte) bytes[i];
    }
    return new RecordedResponse(200, Headers.of("content-type", "application/grpc"), GrpcFrames.frame(List.of(m)), 0, OK);
  }

  private static RecordedRequest request(String path) {
    return new RecordedRequest("POST", path, Headers.of("content-type", "application/grpc"), REQUEST.body());
  }

  // --- B1: two OLD answers are both read with OLD's types

  @Test
  void twoOldAnswersAreBothReadWithOldsTypes() {
    RecordedResponse old = answer(0x08, 0x07, 0x20, 0x01); // id 7, stock 1: IN_STOCK to OLD, AVAILABLE to NEW
    Comparison oldOld = COMPARATOR.compare(REQUEST, old, answer(0x08, 0x07, 0x20, 0x01), Rules.defaults(), Sides.OLD_OLD);
    assertThat(oldOld.differences()).isEmpty();
    assertThat(oldOld.newBody().json().path("stock").asText()).isEqualTo("IN_STOCK");
    // OLD against NEW: the same bytes read with each side's types, the rename shows
    Comparison oldNew = COMPARATOR.compare(REQUEST, old, answer(0x08, 0x07, 0x20, 0x02), Rules.defaults());
    assertThat(oldNew.differences()).extracting(Difference::field, Difference::kind, Difference::oldValue, Difference::newValue)
        .containsExactly(tuple("/stock", DiffKind.VALUE, "\"IN_STOCK\"", "\"LIMITED\""));
  }

  @Test
  void theEngineLearnsNoNoiseFromOldAnswersReadWithNewsSchema() {
    ParityConfig config = ConfigLoader.parse("noise: {learn: true}\n", "t");
    Ledger ledger = new Ledger(config.verdict(), config.limits(), config.noise(), Redaction.DEFAULT, Clock.systemUTC());
    ParityEngine engine = new ParityEngine(config, ledger, COMPARATOR);
    for (int i = 0; i < 20; i++) {
      // OLD repeats itself byte for byte (secondary and repeated request); NEW says LIMITED where OLD says IN_STOCK
      engine.process(new Exchange(REQUEST, answer(0x08, 0x07, 0x20, 0x01), answer(0x08, 0x07, 0x20, 0x02),
          answer(0x08, 0x07, 0x20, 0x01)));
    }
    EndpointReport e = engine.ledger().report().endpoint("grpc " + PATH);
    assertThat(e.noise()).isEmpty();
    assertThat(e.mismatched()).isEqualTo(20);
    assertThat(e.fields()).extracting(EndpointReport.FieldCount::field).containsExactly("/stock");
  }

  // --- B2: defaults only for fields both schemas know

  @Test
  void aFieldOnlyNewsSchemaKnowsIsNoDifferenceUntilNewSetsIt() {
    // OLD: Item { id = 1; stock = 4 }; NEW adds int32 added = 2
    Comparison same = COMPARATOR.compare(REQUEST, answer(0x08, 0x07), answer(0x08, 0x07), Rules.defaults());
    assertThat(same.differences()).isEmpty();
    assertThat(same.newBody().json().has("added")).isFalse();
    assertThat(same.newBody().json().path("stock").asText()).isEqualTo("STOCK_UNSPECIFIED"); // both know it: filled
    Comparison set = COMPARATOR.compare(REQUEST, answer(0x08, 0x07), answer(0x08, 0x07, 0x10, 0x05), Rules.defaults());
    assertThat(set.differences()).extracting(Difference::field, Difference::kind, Difference::newValue)
        .containsExactly(tuple("/added", DiffKind.EXTRA, "5"));
    // and nested, in a sub-message
    RecordedRequest wrapped = request("/shop.v1.Items/Wrapped");
    assertThat(COMPARATOR.compare(wrapped, answer(0x0a, 0x02, 0x08, 0x07), answer(0x0a, 0x02, 0x08, 0x07), Rules.defaults())
        .differences()).isEmpty();
    assertThat(COMPARATOR.compare(wrapped, answer(0x0a, 0x02, 0x08, 0x07), answer(0x0a, 0x04, 0x08, 0x07, 0x10, 0x05),
        Rules.defaults()).differences()).extracting(Difference::field, Difference::kind)
        .containsExactly(tuple("/item/added", DiffKind.EXTRA));
  }

  @Test
  void aFieldRenamedAtTheSameNumberShowsAsMissingAndExtra() {
    GrpcSchemas renamed = GrpcSchemas.perSide(DescriptorSet.of(List.of(file("IN_STOCK", false, "count").toProto())),
        DescriptorSet.of(List.of(file("IN_STOCK", false, "total").toProto())), 100);
    ResponseComparator c = ResponseComparator.create(new CompareOptions().setGrpcSchemas(renamed));
    // wire-compatible, but a JSON client sees another name: reported, under both names
    assertThat(c.compare(REQUEST, answer(0x08, 0x07), answer(0x08, 0x07), Rules.defaults()).differences())
        .extracting(Difference::field, Difference::kind)
        .containsExactlyInAnyOrder(tuple("/count", DiffKind.MISSING), tuple("/total", DiffKind.EXTRA));
  }

  // --- B9: a Timestamp past Instant's range

  @Test
  void aTimestampPastInstantsRangeShowsItsFields() {
    DynamicMessage t = DynamicMessage.newBuilder(Timestamp.getDescriptor())
        .setField(Timestamp.getDescriptor().findFieldByName("seconds"), Long.MAX_VALUE)
        .setField(Timestamp.getDescriptor().findFieldByName("nanos"), 2_000_000_000).build();
    JsonNode j = ProtoJson.of(t);
    assertThat(j.path("seconds").asLong()).isEqualTo(Long.MAX_VALUE);
    assertThat(j.path("nanos").asLong()).isEqualTo(2_000_000_000L);
    DynamicMessage far = DynamicMessage.newBuilder(Timestamp.getDescriptor())
        .setField(Timestamp.getDescriptor().findFieldByName("seconds"), Long.MIN_VALUE).build();
    assertThat(ProtoJson.of(far).path("seconds").asLong()).isEqualTo(Long.MIN_VALUE);
  }

  // --- B10: gRPC-Web trailers after more messages than max-messages

  private static byte[] web(int messages, String trailers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < messages; i++) {
      out.writeBytes(GrpcFrames.frame(List.of(new byte[] {0x08, (byte) i})));
    }
    byte[] t = trailers.getBytes(StandardCharsets.ISO_8859_1);
    out.write(0x80);
    out.writeBytes(new byte[] {0, 0, (byte) (t.length >> 8), (byte) t.length});
    out.writeBytes(t);
    return out.toByteArray();
  }

  @Test
  void gRpcWebTrailersAreReadPastTheMessagesCap() {
    GrpcFrames.Frames f = GrpcFrames.read(web(5, "grpc-status: 13\r\ngrpc-message: boom\r\n"), null, 1 << 20, 2);
    assertThat(f.ok()).isTrue();
    assertThat(f.truncated()).isTrue();
    assertThat(f.messages()).hasSize(2);
    assertThat(f.trailers().get("grpc-status")).isEqualTo("13");
    assertThat(f.trailers().get("grpc-message")).isEqualTo("boom");
    // a cut frame past the cap: nothing more is judged, no trailers
    byte[] cut = web(5, "grpc-status: 0\r\n");
    assertThat(GrpcFrames.read(java.util.Arrays.copyOf(cut, cut.length - 3), null, 1 << 20, 2).trailers().isEmpty()).isTrue();

    ResponseComparator c = ResponseComparator.create(new CompareOptions().setGrpcSchemas(
        new GrpcSchemas(DescriptorSet.EMPTY, false, 2)));
    RecordedRequest req = new RecordedRequest("POST", "/x.Y/Z", Headers.of("content-type", "application/grpc-web"), REQUEST.body());
    Headers h = Headers.of("content-type", "application/grpc-web");
    Comparison cmp = c.compare(req, new RecordedResponse(200, h, web(5, "grpc-status: 0\r\n"), 0),
        new RecordedResponse(200, h, web(5, "grpc-status: 13\r\ngrpc-message: boom\r\n"), 0), Rules.defaults());
    assertThat(cmp.differences()).extracting(Difference::field, Difference::oldValue, Difference::newValue)
        .containsExactlyInAnyOrder(tuple("grpc-status", "0 OK", "13 INTERNAL"), tuple("grpc-message", null, "boom"));
  }
}
