package dev.shadowparity.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.shadowparity.engine.impl.CanonicalJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A decoded protobuf message as the engine's JSON tree, so that {@code JsonDiffer} compares it like any JSON body.
 * Close to protobuf's JSON mapping with {@code preservingProtoFieldNames()} and every field without presence printed:
 *
 * <ul>
 *   <li>keys are the proto field names ({@code user_id}, not {@code userId});</li>
 *   <li>a field without presence (a proto3 scalar, enum, string or bytes not marked {@code optional}) is always there,
 *       with its default when the wire lacks it: proto3 never sends defaults, so OLD sending {@code 0} and NEW leaving
 *       it out are the same message and never a difference. A repeated field is always there ({@code []}), a map too
 *       ({@code {}});</li>
 *   <li>a field with presence (a message, a proto2 field, a proto3 {@code optional}, a oneof member) is there only when
 *       set, so a sub-message or a oneof case that one side sets and the other does not is {@code missing} or
 *       {@code extra};</li>
 *   <li>enums by name ({@code "ACTIVE"}), an unknown enum number as a number; 64-bit integers as numbers, not strings
 *       (compared exactly); {@code float} by its shortest decimal ({@code 0.1}, not {@code 0.10000000149}); bytes in
 *       base64; {@code Timestamp} as RFC 3339 text, {@code Duration} as {@code "1.5s"}, the wrappers as their value;</li>
 *   <li>fields the schema does not know (a field NEW added that the descriptors lack) by number, read as
 *       {@link RawWire} reads them ({@code "7": 42}), so they are compared too.</li>
 * </ul>
 */
public final class ProtoJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private ProtoJson() {}

  /** The message as a JSON object. */
  public static JsonNode of(Message message) {
    String type = message.getDescriptorForType().getFullName();
    switch (type) {
      case "google.protobuf.Timestamp":
        return timestamp(message);
      case "google.protobuf.Duration":
        return duration(message);
      case "google.protobuf.DoubleValue": case "google.protobuf.FloatValue": case "google.protobuf.Int64Value":
      case "google.protobuf.UInt64Value": case "google.protobuf.Int32Value": case "google.protobuf.UInt32Value":
      case "google.protobuf.BoolValue": case "google.protobuf.StringValue": case "google.protobuf.BytesValue": {
        FieldDescriptor value = message.getDescriptorForType().findFieldByNumber(1);
        return value == null ? object(message) : scalar(value, message.getField(value));
      }
      default:
        return object(message);
    }
  }

  private static ObjectNode object(Message message) {
    ObjectNode o = NODES.objectNode();
    for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
      if (f.isMapField()) {
        ObjectNode map = NODES.objectNode();
        for (Object entry : (List<?>) message.getField(f)) {
          Message e = (Message) entry;
          FieldDescriptor k = e.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor v = e.getDescriptorForType().findFieldByNumber(2);
          map.set(String.valueOf(scalar(k, e.getField(k)).asText()), value(v, e.getField(v)));
        }
        o.set(f.getName(), map);
      } else if (f.isRepeated()) {
        ArrayNode a = NODES.arrayNode();
        for (Object v : (List<?>) message.getField(f)) {
          a.add(value(f, v));
        }
        o.set(f.getName(), a);
      } else if (!f.hasPresence() || message.hasField(f)) {
        o.set(f.getName(), value(f, message.getField(f)));
      }
    }
    UnknownFieldSet unknown = message.getUnknownFields();
    for (Map.Entry<Integer, UnknownFieldSet.Field> e : unknown.asMap().entrySet()) {
      o.set(Integer.toString(e.getKey()), unknownField(e.getValue()));
    }
    return o;
  }

  private static JsonNode value(FieldDescriptor f, Object v) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return of((Message) v);
    }
    return scalar(f, v);
  }

  private static JsonNode scalar(FieldDescriptor f, Object v) {
    switch (f.getType()) {
      case INT32: case SINT32: case SFIXED32:
        return NODES.numberNode(((Integer) v).longValue());
      case UINT32: case FIXED32:
        return NODES.numberNode(Integer.toUnsignedLong((Integer) v));
      case INT64: case SINT64: case SFIXED64:
        return NODES.numberNode((Long) v);
      case UINT64: case FIXED64: {
        long l = (Long) v;
        return l >= 0 ? NODES.numberNode(l) : NODES.numberNode(BigInteger.valueOf(l).add(TWO_64));
      }
      case FLOAT: {
        float x = (Float) v;
        return Float.isFinite(x) ? DecimalNode.valueOf(new BigDecimal(Float.toString(x))) : NODES.numberNode((double) x);
      }
      case DOUBLE: {
        double x = (Double) v;
        return Double.isFinite(x) ? DecimalNode.valueOf(new BigDecimal(Double.toString(x))) : NODES.numberNode(x);
      }
      case BOOL:
        return NODES.booleanNode((Boolean) v);
      case STRING:
        return NODES.textNode(CanonicalJson.nfc((String) v));
      case BYTES:
        return NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
      case ENUM: {
        EnumValueDescriptor e = (EnumValueDescriptor) v;
        return f.getEnumType().findValueByNumber(e.getNumber()) == null || e.getIndex() < 0
            ? NODES.numberNode(e.getNumber()) : NODES.textNode(e.getName());
      }
      default:
        return NODES.textNode(String.valueOf(v));
    }
  }

  private static JsonNode unknownField(UnknownFieldSet.Field field) {
    ArrayNode values = NODES.arrayNode();
    for (Long v : field.getVarintList()) {
      values.add(v >= 0 ? NODES.numberNode(v) : NODES.numberNode(BigInteger.valueOf(v).add(TWO_64)));
    }
    for (Integer v : field.getFixed32List()) {
      values.add(NODES.numberNode(Integer.toUnsignedLong(v)));
    }
    for (Long v : field.getFixed64List()) {
      values.add(v >= 0 ? NODES.numberNode(v) : NODES.numberNode(BigInteger.valueOf(v).add(TWO_64)));
    }
    for (ByteString b : field.getLengthDelimitedList()) {
      byte[] bytes = b.toByteArray();
      String text = RawWire.printable(bytes, 0, bytes.length);
      JsonNode nested = text == null ? RawWire.read(bytes) : null;
      values.add(text != null ? NODES.textNode(text)
          : nested != null && bytes.length > 0 ? nested : NODES.textNode(Base64.getEncoder().encodeToString(bytes)));
    }
    for (UnknownFieldSet g : field.getGroupList()) {
      values.add(NODES.textNode(Base64.getEncoder().encodeToString(g.toByteArray())));
    }
    return values.size() == 1 ? values.get(0) : values;
  }

  private static JsonNode timestamp(Message m) {
    long seconds = longField(m, 1);
    int nanos = (int) longField(m, 2);
    try {
      return NODES.textNode(java.time.Instant.ofEpochSecond(seconds, nanos).toString());
    } catch (java.time.DateTimeException e) {
      return object(m); // out of Instant's range: shown as its fields
    }
  }

  private static JsonNode duration(Message m) {
    BigDecimal s = BigDecimal.valueOf(longField(m, 1)).add(BigDecimal.valueOf(longField(m, 2), 9)).stripTrailingZeros();
    return NODES.textNode(s.toPlainString() + "s");
  }

  private static long longField(Message m, int number) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByNumber(number);
    if (f == null) {
      return 0;
    }
    Object v = m.getField(f);
    return v instanceof Number n ? n.longValue() : 0;
  }

  /** Parses a message of a type and converts it. */
  public static JsonNode parse(com.google.protobuf.Descriptors.Descriptor type, byte[] bytes)
      throws com.google.protobuf.InvalidProtocolBufferException {
    return of(DynamicMessage.parseFrom(type, bytes));
  }
}
