package dev.shadowparity.grpc;

import com.google.protobuf.Descriptors.MethodDescriptor;

/**
 * Where the engine finds a gRPC method's message types: the configured descriptor sets ({@code grpc.descriptors})
 * first, then, when none names the service and reflection is on, each backend's server reflection (OLD's answers with
 * OLD's schema, NEW's with NEW's; when only one side's reflection answers, its schema decodes both). When neither
 * knows the method, its messages are compared by field number ({@link RawWire}). Thread-safe.
 */
public final class GrpcSchemas {

  /** No descriptors, no reflection: every call is compared by field number. */
  public static final GrpcSchemas NONE = new GrpcSchemas(DescriptorSet.EMPTY, false, Integer.MAX_VALUE);

  private final DescriptorSet descriptors;
  private final boolean reflectionOn;
  private final int maxMessages;
  private final DescriptorSet oldOnly;
  private final DescriptorSet newOnly;
  private volatile GrpcReflection oldReflection;
  private volatile GrpcReflection newReflection;

  /**
   * @param descriptors  the configured descriptor sets
   * @param reflection   whether backends' server reflection is asked for services the descriptors lack
   * @param maxMessages  messages of a stream compared at most
   */
  public GrpcSchemas(DescriptorSet descriptors, boolean reflection, int maxMessages) {
    this(descriptors, reflection, maxMessages, null, null);
  }

  private GrpcSchemas(DescriptorSet descriptors, boolean reflection, int maxMessages, DescriptorSet oldOnly,
      DescriptorSet newOnly) {
    this.descriptors = descriptors;
    this.reflectionOn = reflection;
    this.maxMessages = maxMessages;
    this.oldOnly = oldOnly;
    this.newOnly = newOnly;
  }

  /**
   * Each side with its own fixed types, as reflection would give them (OLD's answers read with {@code old}, NEW's with
   * {@code neu}), without asking anyone: for tests and tools.
   */
  public static GrpcSchemas perSide(DescriptorSet old, DescriptorSet neu, int maxMessages) {
    return new GrpcSchemas(DescriptorSet.EMPTY, false, maxMessages, old, neu);
  }

  /** Messages of one stream compared at most ({@code grpc.max-messages}). */
  public int maxMessages() {
    return maxMessages;
  }

  /**
   * Asks these backends' server reflection from now on (when {@code grpc.reflection} is on); either may be
   * {@code null}. The caller owns and closes them.
   */
  public void reflectOn(GrpcReflection oldBackend, GrpcReflection newBackend) {
    this.oldReflection = oldBackend;
    this.newReflection = newBackend;
  }

  /**
   * A call's method for each side.
   *
   * @param oldMethod how OLD's messages are read, {@code null} when unknown
   * @param newMethod how NEW's messages are read, {@code null} when unknown
   * @param source    where they came from: {@code descriptors}, {@code reflection} or {@code raw}
   */
  public record Methods(MethodDescriptor oldMethod, MethodDescriptor newMethod, String source) {
    /** Whether the messages are read by field number. */
    public boolean raw() {
      return oldMethod == null;
    }
  }

  /** The method of a gRPC path for both sides; may block on reflection (never call on an event loop). */
  public Methods methods(String path) {
    MethodDescriptor m = descriptors.method(path);
    if (m != null) {
      return new Methods(m, m, "descriptors");
    }
    GrpcPath p = GrpcPath.parse(path);
    if (oldOnly != null && p != null) {
      MethodDescriptor o = oldOnly.method("/" + p.service() + "/" + p.method());
      MethodDescriptor n = newOnly.method("/" + p.service() + "/" + p.method());
      if (o != null || n != null) {
        return new Methods(o != null ? o : n, n != null ? n : o, "reflection");
      }
    }
    if (!reflectionOn || p == null) {
      return new Methods(null, null, "raw");
    }
    MethodDescriptor o = reflected(oldReflection, p);
    MethodDescriptor n = reflected(newReflection, p);
    if (o == null && n == null) {
      return new Methods(null, null, "raw");
    }
    return new Methods(o != null ? o : n, n != null ? n : o, "reflection");
  }

  /** The method known without asking anyone (descriptors only): for cheap checks on any thread. */
  public MethodDescriptor known(String path) {
    return descriptors.method(path);
  }

  private static MethodDescriptor reflected(GrpcReflection r, GrpcPath p) {
    if (r == null) {
      return null;
    }
    DescriptorSet set = r.service(p.service());
    return set == null ? null : set.method("/" + p.service() + "/" + p.method());
  }
}
