package dev.shadowparity.grpc;

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
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Two real gRPC backends (grpc-java on Netty, on 127.0.0.1) of one service, {@code shop.v1.Users}, its types built in
 * code (no protoc): OLD and NEW differ in one field ({@code name}), one enum value ({@code status} of user 1 and of
 * the second streamed user) and one status (user 2: NOT_FOUND on OLD, INTERNAL on NEW).
 *
 * <pre>
 * enum UserStatus { USER_STATUS_UNSPECIFIED = 0; ACTIVE = 1; SUSPENDED = 2; }
 * message User { string name = 1; int64 id = 2; UserStatus status = 3; int32 visits = 4; }
 * message GetUserRequest { int64 id = 1; }
 * message GetUserResponse { User user = 1; }
 * message ListUsersRequest { int32 count = 1; }
 * service Users {
 *   rpc GetUser(GetUserRequest) returns (GetUserResponse);
 *   rpc ListUsers(ListUsersRequest) returns (stream User);
 *   rpc Upload(stream User) returns (GetUserResponse);
 * }
 * </pre>
 */
public final class GrpcBackends {

  static final FileDescriptor FILE = file();
  static final Descriptor USER = FILE.findMessageTypeByName("User");
  static final Descriptor GET_REQ = FILE.findMessageTypeByName("GetUserRequest");
  static final Descriptor GET_RESP = FILE.findMessageTypeByName("GetUserResponse");
  static final Descriptor LIST_REQ = FILE.findMessageTypeByName("ListUsersRequest");
  static final Descriptors.ServiceDescriptor SERVICE = FILE.findServiceByName("Users");

  private GrpcBackends() {}

  private static FileDescriptor file() {
    FileDescriptorProto proto = FileDescriptorProto.newBuilder()
        .setName("shop/v1/users.proto").setPackage("shop.v1").setSyntax("proto3")
        .addEnumType(EnumDescriptorProto.newBuilder().setName("UserStatus")
            .addValue(EnumValueDescriptorProto.newBuilder().setName("USER_STATUS_UNSPECIFIED").setNumber(0))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("ACTIVE").setNumber(1))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("SUSPENDED").setNumber(2)))
        .addMessageType(DescriptorProto.newBuilder().setName("User")
            .addField(field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, null))
            .addField(field("id", 2, FieldDescriptorProto.Type.TYPE_INT64, null))
            .addField(field("status", 3, FieldDescriptorProto.Type.TYPE_ENUM, ".shop.v1.UserStatus"))
            .addField(field("visits", 4, FieldDescriptorProto.Type.TYPE_INT32, null)))
        .addMessageType(DescriptorProto.newBuilder().setName("GetUserRequest")
            .addField(field("id", 1, FieldDescriptorProto.Type.TYPE_INT64, null)))
        .addMessageType(DescriptorProto.newBuilder().setName("GetUserResponse")
            .addField(field("user", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".shop.v1.User")))
        .addMessageType(DescriptorProto.newBuilder().setName("ListUsersRequest")
            .addField(field("count", 1, FieldDescriptorProto.Type.TYPE_INT32, null)))
        .addService(ServiceDescriptorProto.newBuilder().setName("Users")
            .addMethod(MethodDescriptorProto.newBuilder().setName("GetUser")
                .setInputType(".shop.v1.GetUserRequest").setOutputType(".shop.v1.GetUserResponse"))
            .addMethod(MethodDescriptorProto.newBuilder().setName("ListUsers")
                .setInputType(".shop.v1.ListUsersRequest").setOutputType(".shop.v1.User").setServerStreaming(true))
            .addMethod(MethodDescriptorProto.newBuilder().setName("Upload")
                .setInputType(".shop.v1.User").setOutputType(".shop.v1.GetUserResponse").setClientStreaming(true)))
        .build();
    try {
      return FileDescriptor.buildFrom(proto, new FileDescriptor[0]);
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A proto3 singular field of a message built in a test, its JSON name its own name. */
  public static FieldDescriptorProto.Builder field(String name, int number, FieldDescriptorProto.Type type, String typeName) {
    FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).setJsonName(name);
    if (typeName != null) {
      f.setTypeName(typeName);
    }
    return f;
  }

  /** The service's descriptor set, as {@code protoc --descriptor_set_out} writes it, in a file. */
  static Path writeDescriptorSet(Path dir) throws IOException {
    Path file = dir.resolve("users.pb");
    Files.write(file, FileDescriptorSet.newBuilder().addFile(FILE.toProto()).build().toByteArray());
    return file;
  }

  static DynamicMessage user(String name, long id, String status, int visits) {
    return DynamicMessage.newBuilder(USER)
        .setField(USER.findFieldByName("name"), name)
        .setField(USER.findFieldByName("id"), id)
        .setField(USER.findFieldByName("status"), USER.findFieldByName("status").getEnumType().findValueByName(status))
        .setField(USER.findFieldByName("visits"), visits)
        .build();
  }

  static DynamicMessage getRequest(long id) {
    return DynamicMessage.newBuilder(GET_REQ).setField(GET_REQ.findFieldByName("id"), id).build();
  }

  static DynamicMessage listRequest(int count) {
    return DynamicMessage.newBuilder(LIST_REQ).setField(LIST_REQ.findFieldByName("count"), count).build();
  }

  static MethodDescriptor<DynamicMessage, DynamicMessage> method(String name, MethodDescriptor.MethodType type,
      Descriptor in, Descriptor out) {
    return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE.getFullName(), name))
        .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(in)))
        .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(out)))
        .build();
  }

  static final MethodDescriptor<DynamicMessage, DynamicMessage> GET_USER =
      method("GetUser", MethodDescriptor.MethodType.UNARY, GET_REQ, GET_RESP);
  static final MethodDescriptor<DynamicMessage, DynamicMessage> LIST_USERS =
      method("ListUsers", MethodDescriptor.MethodType.SERVER_STREAMING, LIST_REQ, USER);
  static final MethodDescriptor<DynamicMessage, DynamicMessage> UPLOAD =
      method("Upload", MethodDescriptor.MethodType.CLIENT_STREAMING, USER, GET_RESP);

  /** Gives grpc-java's reflection the service's file. */
  private static final class Schema implements ProtoServiceDescriptorSupplier {
    @Override
    public FileDescriptor getFileDescriptor() {
      return FILE;
    }

    @Override
    public Descriptors.ServiceDescriptor getServiceDescriptor() {
      return SERVICE;
    }
  }

  /**
   * Starts one version on 127.0.0.1 and a free port.
   *
   * @param neu        the NEW version (else OLD)
   * @param reflection which reflection service it offers: {@code v1}, {@code v1alpha} or {@code none}
   */
  static Server start(boolean neu, String reflection) throws IOException {
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(SERVICE.getFullName())
        .setSchemaDescriptor(new Schema())
        .addMethod(GET_USER).addMethod(LIST_USERS).addMethod(UPLOAD)
        .build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(descriptor)
        .addMethod(GET_USER, ServerCalls.asyncUnaryCall((req, out) -> getUser(neu, req, out)))
        .addMethod(LIST_USERS, ServerCalls.asyncServerStreamingCall((req, out) -> listUsers(neu, req, out)))
        .addMethod(UPLOAD, ServerCalls.asyncClientStreamingCall(out -> upload(out)))
        .build();
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        InsecureServerCredentials.create()).addService(service);
    if (reflection.equals("v1")) {
      b.addService(ProtoReflectionServiceV1.newInstance());
    } else if (reflection.equals("v1alpha")) {
      @SuppressWarnings("deprecation")
      io.grpc.BindableService alpha = ProtoReflectionService.newInstance();
      b.addService(alpha);
    }
    return b.build().start();
  }

  private static void getUser(boolean neu, DynamicMessage req, StreamObserver<DynamicMessage> out) {
    long id = (Long) req.getField(GET_REQ.findFieldByName("id"));
    if (id == 2) {
      // the one status that differs
      out.onError((neu ? Status.INTERNAL.withDescription("lookup failed: 100% broken")
          : Status.NOT_FOUND.withDescription("no user 2")).asRuntimeException());
      return;
    }
    DynamicMessage user = neu ? user("Ada Lovelace", id, "SUSPENDED", 0) : user("Ada", id, "ACTIVE", 0);
    out.onNext(DynamicMessage.newBuilder(GET_RESP).setField(GET_RESP.findFieldByName("user"), user).build());
    out.onCompleted();
  }

  private static void listUsers(boolean neu, DynamicMessage req, StreamObserver<DynamicMessage> out) {
    int count = (Integer) req.getField(LIST_REQ.findFieldByName("count"));
    for (int i = 0; i < count; i++) {
      String status = neu && i == 1 ? "SUSPENDED" : "ACTIVE";
      out.onNext(user("user" + i, i, status, i * 10));
    }
    out.onCompleted();
  }

  private static StreamObserver<DynamicMessage> upload(StreamObserver<DynamicMessage> out) {
    return new StreamObserver<>() {
      private int n;

      @Override
      public void onNext(DynamicMessage value) {
        n++;
      }

      @Override
      public void onError(Throwable t) {
        // the client went away: nothing to answer
      }

      @Override
      public void onCompleted() {
        out.onNext(DynamicMessage.newBuilder(GET_RESP).setField(GET_RESP.findFieldByName("user"), user("n", n, "ACTIVE", n))
            .build());
        out.onCompleted();
      }
    };
  }

  static void stop(Server server) throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
