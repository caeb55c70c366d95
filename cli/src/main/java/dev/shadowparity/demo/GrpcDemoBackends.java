package dev.shadowparity.demo;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gRPC demo's OLD and NEW: one catalogue service, {@code demo.catalog.v1.Catalog}, on Vert.x HTTP/2 servers
 * (h2c, prior knowledge), its messages built with protobuf-java from a descriptor made in code (no protoc). NEW is
 * the same service after a rewrite that changed three things: it rounds {@code price_cents} of item 3 down, calls
 * the stock state of items 6 and 8 {@code LIMITED} where OLD said {@code IN_STOCK}, and answers an unknown item with
 * {@code INTERNAL} where OLD said {@code NOT_FOUND}. {@code GetItem} is unary; {@code ListItems} streams one message
 * per item.
 */
public final class GrpcDemoBackends {

  public static final String SERVICE = "demo.catalog.v1.Catalog";
  public static final String GET_ITEM = "/" + SERVICE + "/GetItem";
  public static final String LIST_ITEMS = "/" + SERVICE + "/ListItems";

  private final Descriptors.FileDescriptor file;
  private final Descriptor itemRequest;
  private final Descriptor item;
  private final Descriptor listRequest;

  public GrpcDemoBackends() {
    FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName("demo/catalog.proto").setPackage("demo.catalog.v1")
        .setSyntax("proto3")
        .addEnumType(EnumDescriptorProto.newBuilder().setName("Stock")
            .addValue(EnumValueDescriptorProto.newBuilder().setName("STOCK_UNKNOWN").setNumber(0))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("IN_STOCK").setNumber(1))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("LIMITED").setNumber(2))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("SOLD_OUT").setNumber(3)))
        .addMessageType(DescriptorProto.newBuilder().setName("GetItemRequest")
            .addField(field("id", 1, FieldDescriptorProto.Type.TYPE_INT64, null)))
        .addMessageType(DescriptorProto.newBuilder().setName("ListItemsRequest")
            .addField(field("count", 1, FieldDescriptorProto.Type.TYPE_INT32, null)))
        .addMessageType(DescriptorProto.newBuilder().setName("Item")
            .addField(field("id", 1, FieldDescriptorProto.Type.TYPE_INT64, null))
            .addField(field("name", 2, FieldDescriptorProto.Type.TYPE_STRING, null))
            .addField(field("price_cents", 3, FieldDescriptorProto.Type.TYPE_INT64, null))
            .addField(field("stock", 4, FieldDescriptorProto.Type.TYPE_ENUM, ".demo.catalog.v1.Stock")))
        .addService(ServiceDescriptorProto.newBuilder().setName("Catalog")
            .addMethod(MethodDescriptorProto.newBuilder().setName("GetItem")
                .setInputType(".demo.catalog.v1.GetItemRequest").setOutputType(".demo.catalog.v1.Item"))
            .addMethod(MethodDescriptorProto.newBuilder().setName("ListItems")
                .setInputType(".demo.catalog.v1.ListItemsRequest").setOutputType(".demo.catalog.v1.Item")
                .setServerStreaming(true)))
        .build();
    try {
      file = Descriptors.FileDescriptor.buildFrom(proto, new Descriptors.FileDescriptor[0]);
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException("the demo's descriptor is valid", e);
    }
    itemRequest = file.findMessageTypeByName("GetItemRequest");
    item = file.findMessageTypeByName("Item");
    listRequest = file.findMessageTypeByName("ListItemsRequest");
  }

  private static FieldDescriptorProto.Builder field(String name, int number, FieldDescriptorProto.Type type, String typeName) {
    FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL);
    return typeName == null ? f : f.setTypeName(typeName);
  }

  /** Writes the service's descriptor set (what {@code protoc --descriptor_set_out} writes) for {@code grpc.descriptors}. */
  public Path writeDescriptorSet(Path dir) throws IOException {
    Path out = dir.resolve("catalog.pb");
    Files.write(out, FileDescriptorSet.newBuilder().addFile(file.toProto()).build().toByteArray());
    return out;
  }

  /** Starts OLD ({@code neu} false) or NEW on a free loopback port, h2c with prior knowledge. */
  public Future<HttpServer> start(Vertx vertx, boolean neu) {
    return vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
        .requestHandler(req -> req.body().onSuccess(body -> answer(req, body, neu)))
        .listen(0, "127.0.0.1");
  }

  /** The framed request message of {@code GetItem(id)}. */
  public Buffer getItem(long id) {
    return frame(DynamicMessage.newBuilder(itemRequest).setField(itemRequest.findFieldByName("id"), id).build().toByteArray());
  }

  /** The framed request message of {@code ListItems(count)}. */
  public Buffer listItems(int count) {
    return frame(DynamicMessage.newBuilder(listRequest).setField(listRequest.findFieldByName("count"), count).build()
        .toByteArray());
  }

  private void answer(HttpServerRequest req, Buffer body, boolean neu) {
    var resp = req.response().putHeader("content-type", "application/grpc");
    byte[] message = body.length() >= 5 ? body.getBytes(5, body.length()) : new byte[0];
    try {
      if (req.path().equals(GET_ITEM)) {
        long id = (Long) DynamicMessage.parseFrom(itemRequest, message).getField(itemRequest.findFieldByName("id"));
        if (id > 20) {
          resp.putTrailer("grpc-status", neu ? "13" : "5").putTrailer("grpc-message", neu ? "lookup failed" : "no such item")
              .end();
          return;
        }
        resp.putTrailer("grpc-status", "0").end(frame(item(id, neu)));
      } else if (req.path().equals(LIST_ITEMS)) {
        int count = (Integer) DynamicMessage.parseFrom(listRequest, message).getField(listRequest.findFieldByName("count"));
        Buffer all = Buffer.buffer();
        for (long id = 1; id <= Math.min(count, 20); id++) {
          all.appendBuffer(frame(item(id, neu)));
        }
        resp.putTrailer("grpc-status", "0").end(all);
      } else {
        resp.putTrailer("grpc-status", "12").putTrailer("grpc-message", "unknown method").end();
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      resp.putTrailer("grpc-status", "3").putTrailer("grpc-message", "bad request").end();
    }
  }

  private byte[] item(long id, boolean neu) {
    long price = 1250 + id * 100;
    if (neu && id == 3) {
      price -= 50; // NEW rounds this one down
    }
    String stock = id % 7 == 0 ? "SOLD_OUT" : neu && (id == 6 || id == 8) ? "LIMITED" : "IN_STOCK";
    return DynamicMessage.newBuilder(item)
        .setField(item.findFieldByName("id"), id)
        .setField(item.findFieldByName("name"), "item " + id)
        .setField(item.findFieldByName("price_cents"), price)
        .setField(item.findFieldByName("stock"), file.findEnumTypeByName("Stock").findValueByName(stock))
        .build().toByteArray();
  }

  private static Buffer frame(byte[] message) {
    return Buffer.buffer(5 + message.length).appendByte((byte) 0).appendInt(message.length).appendBytes(message);
  }
}
