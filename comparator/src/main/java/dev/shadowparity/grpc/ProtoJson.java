package dev.shadowparity.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
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
 *       ({@code {}}). When the two sides' types differ, only for field numbers both know
 *       ({@link #of(Message, Descriptor)}): a field only one schema knows is there only when set;</li>
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

  /** The message as a JSON object, every field without presence there (with its default when unset). */
  public static JsonNode of(Message message) {
    return of(message, message.getDescriptorForType());
  }

  /**
   * The message as a JSON object, to be compared with one read by another type ({@code other}, the other side's type at
   * this place; {@code null} when the other side has no type here): a field without presence, a repeated field and a
   * map are filled in with their default ({@code 0}, {@code []}, {@code {}}) only when {@code other} knows the field's
   * number too (recursively, in nested messages); a field only this side's type knows is there only when set. So a
   * field NEW's schema added but NEW never sets is no difference, and one NEW sets is ({@code extra}).
   */
  public static JsonNode of(Message message, Descriptor other) {
    String type = message.getDescriptorForType().getFullName();
    switch (type) {
      case "google.protobuf.Timestamp":
        return timestamp(message, other);
      case "google.protobuf.Duration":
        return duration(message);
      case "google.protobuf.DoubleValue": case "google.protobuf.FloatValue": case "google.protobuf.Int64Value":
      case "google.protobuf.UInt64Value": case "google.protobuf.Int32Value": case "google.protobuf.UInt32Value":
      case "google.protobuf.BoolValue": case "google.protobuf.StringValue": case "google.protobuf.BytesValue": {
        FieldDescriptor value = message.getDescriptorForType().findFieldByNumber(1);
        return value == null ? object(message, other) : scalar(value, message.getField(value));
      }
      default:
        return object(message, other);
    }
  }

  private static ObjectNode object(Message message, Descriptor other) {
    ObjectNode o = NODES.objectNode();
    for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
      FieldDescriptor counterpart = other == null ? null : other.findFieldByNumber(f.getNumber());
      boolean bothKnow = counterpart != null;
      if (f.isMapField()) {
        List<?> entries = (List<?>) message.getField(f);
        if (!bothKnow && entries.isEmpty()) {
          continue;
        }
        ObjectNode map = NODES.objectNode();
        Descriptor otherValue = nested(counterpart == null || !counterpart.isMapField() ? null
            : counterpart.getMessageType().findFieldByNumber(2));
        for (Object entry : entries) {
          Message e = (Message) entry;
          FieldDescriptor k = e.getDescriptorForType().findFieldByNumber(1);
          FieldDescriptor v = e.getDescriptorForType().findFieldByNumber(2);
          map.set(String.valueOf(scalar(k, e.getField(k)).asText()), value(v, e.getField(v), otherValue));
        }
        o.set(f.getName(), map);
      } else if (f.isRepeated()) {
        List<?> values = (List<?>) message.getField(f);
        if (!bothKnow && values.isEmpty()) {
          continue;
        }
        ArrayNode a = NODES.arrayNode();
        Descriptor otherElement = nested(counterpart);
        for (Object v : values) {
          a.add(value(f, v, otherElement));
        }
        o.set(f.getName(), a);
      } else if (f.hasPresence() ? message.hasField(f) : bothKnow || message.hasField(f)) {
        // without presence, hasField is "not its default": a field only this side knows shows only when set
        o.set(f.getName(), value(f, message.getField(f), nested(counterpart)));
      }
    }
    UnknownFieldSet unknown = message.getUnknownFields();
    for (Map.Entry<Integer, UnknownFieldSet.Field> e : unknown.asMap().entrySet()) {
      o.set(Integer.toString(e.getKey()), unknownField(e.getValue()));
    }
    return o;
  }

  /** The other side's message type of a field, {@code null} when it has none (no such field, or not a message). */
  private static Descriptor nested(FieldDescriptor counterpart) {
    return counterpart != null && counterpart.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        ? counterpart.getMessageType() : null;
  }

  private static JsonNode value(FieldDescriptor f, Object v, Descriptor other) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return of((Message) v, other);
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

  private static JsonNode timestamp(Message m, Descriptor other) {
    long seconds = longField(m, 1);
    int nanos = (int) longField(m, 2);
    try {
      return NODES.textNode(java.time.Instant.ofEpochSecond(seconds, nanos).toString());
    } catch (java.time.DateTimeException | ArithmeticException e) {
      // out of Instant's range (nanos carried into seconds past Long.MAX_VALUE overflow): shown as its fields
      return object(m, other);
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
  public static JsonNode parse(Descriptor type, byte[] bytes) throws com.google.protobuf.InvalidProtocolBufferException {
    return of(DynamicMessage.parseFrom(type, bytes));
  }

  /**
   * Parses a message of a type and converts it to be compared with one of {@code otherType} (the other side's type of
   * the same message; {@code null} or {@code type} itself when both sides share it): see {@link #of(Message, Descriptor)}.
   */
  public static JsonNode parse(Descriptor type, Descriptor otherType, byte[] bytes)
      throws com.google.protobuf.InvalidProtocolBufferException {
    DynamicMessage m = DynamicMessage.parseFrom(type, bytes);
    return of(m, otherType == null ? type : otherType);
  }
}
