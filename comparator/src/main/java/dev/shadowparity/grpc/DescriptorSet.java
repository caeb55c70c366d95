package dev.shadowparity.grpc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Services known from file descriptors: those of {@code protoc --descriptor_set_out} files (best with
 * {@code --include_imports}), or those a backend's server reflection sent. Immutable and thread-safe.
 */
public final class DescriptorSet {

  /** A descriptor set file larger than this is refused. */
  public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

  private final Map<String, ServiceDescriptor> services;

  private DescriptorSet(Map<String, ServiceDescriptor> services) {
    this.services = Map.copyOf(services);
  }

  /** No services. */
  public static final DescriptorSet EMPTY = new DescriptorSet(Map.of());

  /**
   * Reads {@code FileDescriptorSet} files. Throws {@link IllegalArgumentException} naming the file and the problem: not
   * there, too large, not a descriptor set, or an import that none of the files holds.
   */
  public static DescriptorSet load(List<Path> files) {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    for (Path file : files) {
      byte[] bytes;
      try {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
          throw new IllegalArgumentException(file + ": " + size + " bytes, over the " + MAX_FILE_BYTES + " a descriptor set may take");
        }
        bytes = Files.readAllBytes(file);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException(file + ": no such file", e);
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
      }
      FileDescriptorSet set;
      try {
        set = FileDescriptorSet.parseFrom(bytes);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalArgumentException(file + ": not a descriptor set (protoc --descriptor_set_out): " + e.getMessage(), e);
      }
      if (set.getFileCount() == 0) {
        throw new IllegalArgumentException(file + ": not a descriptor set (protoc --descriptor_set_out): it holds no file");
      }
      for (FileDescriptorProto p : set.getFileList()) {
        protos.putIfAbsent(p.getName(), p);
      }
    }
    try {
      return of(protos.values());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(files + ": " + e.getMessage(), e);
    }
  }

  /**
   * Builds the files (each with its imports from the same collection) and indexes their services. Throws
   * {@link IllegalArgumentException} when an import is missing or a file does not build.
   */
  public static DescriptorSet of(Collection<FileDescriptorProto> protos) {
    Map<String, FileDescriptorProto> byName = new HashMap<>();
    for (FileDescriptorProto p : protos) {
      byName.putIfAbsent(p.getName(), p);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    Map<String, ServiceDescriptor> services = new HashMap<>();
    for (FileDescriptorProto p : byName.values()) {
      FileDescriptor f = build(p.getName(), byName, built, new java.util.HashSet<>());
      for (ServiceDescriptor s : f.getServices()) {
        services.putIfAbsent(s.getFullName(), s);
      }
    }
    return new DescriptorSet(services);
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> byName, Map<String, FileDescriptor> built,
      java.util.Set<String> building) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto p = byName.get(name);
    if (p == null) {
      FileDescriptor wellKnown = WellKnown.file(name);
      if (wellKnown != null) {
        built.put(name, wellKnown);
        return wellKnown;
      }
      throw new IllegalArgumentException("'" + name + "' is imported but in none of the descriptor files "
          + "(write them with protoc --include_imports)");
    }
    if (!building.add(name)) {
      throw new IllegalArgumentException("'" + name + "' imports itself through its imports");
    }
    FileDescriptor[] deps = new FileDescriptor[p.getDependencyCount()];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = build(p.getDependency(i), byName, built, building);
    }
    try {
      FileDescriptor f = FileDescriptor.buildFrom(p, deps);
      built.put(name, f);
      return f;
    } catch (Descriptors.DescriptorValidationException e) {
      throw new IllegalArgumentException("'" + name + "' does not build: " + e.getMessage(), e);
    }
  }

  /** The method of a gRPC path ({@code /package.Service/Method}), or {@code null} when its service is unknown here. */
  public MethodDescriptor method(String path) {
    GrpcPath p = GrpcPath.parse(path);
    if (p == null) {
      return null;
    }
    ServiceDescriptor s = services.get(p.service());
    return s == null ? null : s.findMethodByName(p.method());
  }

  /** Whether the service of a full name is here. */
  public boolean hasService(String fullName) {
    return services.containsKey(fullName);
  }

  /** How many services are known. */
  public int size() {
    return services.size();
  }

  /** The well-known types protobuf-java carries, for descriptor sets written without {@code --include_imports}. */
  private static final class WellKnown {
    private static final Map<String, FileDescriptor> FILES = Map.ofEntries(
        Map.entry("google/protobuf/timestamp.proto", com.google.protobuf.TimestampProto.getDescriptor()),
        Map.entry("google/protobuf/duration.proto", com.google.protobuf.DurationProto.getDescriptor()),
        Map.entry("google/protobuf/wrappers.proto", com.google.protobuf.WrappersProto.getDescriptor()),
        Map.entry("google/protobuf/empty.proto", com.google.protobuf.EmptyProto.getDescriptor()),
        Map.entry("google/protobuf/struct.proto", com.google.protobuf.StructProto.getDescriptor()),
        Map.entry("google/protobuf/any.proto", com.google.protobuf.AnyProto.getDescriptor()),
        Map.entry("google/protobuf/field_mask.proto", com.google.protobuf.FieldMaskProto.getDescriptor()),
        Map.entry("google/protobuf/descriptor.proto", com.google.protobuf.DescriptorProtos.getDescriptor()));

    static FileDescriptor file(String name) {
      return FILES.get(name);
    }
  }
}
