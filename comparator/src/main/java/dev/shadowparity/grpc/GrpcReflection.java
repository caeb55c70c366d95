package dev.shadowparity.grpc;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's gRPC server reflection ({@code grpc.reflection.v1.ServerReflection}, else {@code v1alpha}): the file
 * descriptors of a service, asked once per service and kept. The messages are written and read by hand (a handful of
 * fields), over one HTTP/2 call each ({@link H2Call}). {@link #service} blocks its caller for at most the timeout and
 * must never be called on an event loop (the engine calls it from its compare pool). Bounded: at most
 * {@link #MAX_SERVICES} services kept (least recently used out), {@link #MAX_FILES} files and
 * {@link #MAX_ANSWER_BYTES} per answer; a service that could not be had is asked again after
 * {@link #RETRY_AFTER_MILLIS}.
 */
public final class GrpcReflection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcReflection.class);

  public static final int MAX_SERVICES = 256;
  public static final int MAX_FILES = 512;
  public static final long MAX_ANSWER_BYTES = 16L * 1024 * 1024;
  public static final long RETRY_AFTER_MILLIS = 60_000;
  static final String V1 = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
  static final String V1ALPHA = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

  private final H2Call call;
  private final URI backend;
  private final long timeoutMillis;
  private final String authority;
  private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_SERVICES;
    }
  };

  private record Entry(CompletableFuture<DescriptorSet> set, long startedNanos) {}

  /**
   * Reflection of one backend.
   *
   * @param vertx         carries the calls
   * @param backend       the backend, {@code http://} (h2c) or {@code https://} (h2)
   * @param timeoutMillis how long one service's descriptors may take to come
   */
  public GrpcReflection(Vertx vertx, URI backend, long timeoutMillis) {
    this.backend = backend;
    this.timeoutMillis = timeoutMillis;
    this.call = new H2Call(vertx, backend, timeoutMillis, MAX_ANSWER_BYTES);
    this.authority = backend.getHost();
  }

  /** The backend this reflects. */
  public URI backend() {
    return backend;
  }

  /**
   * The descriptors of a service (full name), or {@code null} when the backend did not give them within the timeout
   * (no reflection, no such service, down). Blocks; never call on an event loop.
   */
  public DescriptorSet service(String fullName) {
    if (Vertx.currentContext() != null && Vertx.currentContext().isEventLoopContext()) {
      throw new IllegalStateException("gRPC reflection waits for the backend: not on an event loop");
    }
    Entry e;
    synchronized (cache) {
      e = cache.get(fullName);
      boolean failed = e != null && e.set().isDone() && (e.set().isCompletedExceptionally() || e.set().getNow(null) == null);
      if (e == null || (failed && System.nanoTime() - e.startedNanos() > TimeUnit.MILLISECONDS.toNanos(RETRY_AFTER_MILLIS))) {
        e = new Entry(fetch(fullName), System.nanoTime());
        cache.put(fullName, e);
      }
    }
    try {
      return e.set().get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException x) {
      return null; // still coming: this comparison decodes without it (logged when it ends)
    } catch (ExecutionException x) {
      return null; // logged when it failed
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private CompletableFuture<DescriptorSet> fetch(String service) {
    CompletableFuture<DescriptorSet> result = new CompletableFuture<>();
    Map<String, FileDescriptorProto> files = new LinkedHashMap<>();
    ask(V1, symbolRequest(service), true)
        .recover(t -> t instanceof Unimplemented ? ask(V1ALPHA, symbolRequest(service), false) : Future.failedFuture(t))
        .compose(first -> {
          first.forEach(f -> files.putIfAbsent(f.getName(), f));
          return completeImports(files, 0);
        })
        .onSuccess(v -> {
          try {
            DescriptorSet set = DescriptorSet.of(files.values());
            if (!set.hasService(service)) {
              LOG.warn("gRPC reflection of {}: the backend does not know service {}; its calls are compared by field number",
                  backend, service);
              result.complete(null);
            } else {
              LOG.info("gRPC reflection of {}: service {} known ({} files)", backend, service, files.size());
              result.complete(set);
            }
          } catch (IllegalArgumentException e) {
            LOG.warn("gRPC reflection of {}: the descriptors of {} do not build ({}); its calls are compared by field number",
                backend, service, e.getMessage());
            result.complete(null);
          }
        })
        .onFailure(t -> {
          LOG.warn("gRPC reflection of {} for {} failed ({}); its calls are compared by field number, asked again in {} s",
              backend, service, t.getMessage(), RETRY_AFTER_MILLIS / 1000);
          result.complete(null);
        });
    return result;
  }

  private volatile String path = V1;

  /** Asks for the files that the files so far import and lack, until none is missing. */
  private Future<Void> completeImports(Map<String, FileDescriptorProto> files, int round) {
    List<String> missing = new ArrayList<>();
    for (FileDescriptorProto f : files.values()) {
      for (String d : f.getDependencyList()) {
        if (!files.containsKey(d) && !missing.contains(d)) {
          missing.add(d);
        }
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    if (files.size() + missing.size() > MAX_FILES || round > 32) {
      return Future.failedFuture("more than " + MAX_FILES + " files or 32 rounds of imports");
    }
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    for (String name : missing) {
      byte[] r = fileRequest(name);
      requests.writeBytes(GrpcFrames.frame(List.of(r)));
    }
    return askFramed(path, requests.toByteArray(), false).compose(more -> {
      boolean added = false;
      for (FileDescriptorProto f : more) {
        added |= files.putIfAbsent(f.getName(), f) == null;
      }
      return added ? completeImports(files, round + 1)
          : Future.failedFuture("the backend did not send imported files " + missing);
    });
  }

  private static final class Unimplemented extends RuntimeException {
    Unimplemented(String m) {
      super(m, null, false, false);
    }
  }

  private Future<List<FileDescriptorProto>> ask(String path, byte[] request, boolean firstTry) {
    return askFramed(path, GrpcFrames.frame(List.of(request)), firstTry).onSuccess(x -> this.path = path);
  }

  private Future<List<FileDescriptorProto>> askFramed(String path, byte[] framed, boolean mayBeUnimplemented) {
    return call.post(path, Map.of("content-type", "application/grpc", "te", "trailers"), framed).compose(a -> {
      String status = a.trailers().get("grpc-status");
      if (status == null) {
        status = a.headers().get("grpc-status");
      }
      if (mayBeUnimplemented && (a.status() == 404 || "12".equals(status))) {
        return Future.failedFuture(new Unimplemented(path + " unimplemented"));
      }
      if (a.status() != 200 || (status != null && !"0".equals(status.trim()))) {
        return Future.failedFuture(path + ": HTTP " + a.status() + ", grpc-status " + GrpcPath.describeStatus(status)
            + (a.trailers().get("grpc-message") == null ? "" : " " + GrpcPath.decodeMessage(a.trailers().get("grpc-message"))));
      }
      GrpcFrames.Frames frames = GrpcFrames.read(a.body(), a.headers().get("grpc-encoding"), MAX_ANSWER_BYTES, MAX_FILES);
      if (!frames.ok()) {
        return Future.failedFuture(frames.problem());
      }
      List<FileDescriptorProto> out = new ArrayList<>();
      for (byte[] m : frames.messages()) {
        try {
          readResponse(m, out);
        } catch (IOException e) {
          return Future.failedFuture(e);
        }
      }
      return Future.succeededFuture(out);
    });
  }

  /** ServerReflectionRequest { string host = 1; string file_containing_symbol = 4; } */
  private byte[] symbolRequest(String symbol) {
    return request(4, symbol);
  }

  /** ServerReflectionRequest { string host = 1; string file_by_filename = 3; } */
  private byte[] fileRequest(String name) {
    return request(3, name);
  }

  private byte[] request(int field, String value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeString(1, authority == null ? "" : authority);
      out.writeString(field, value);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
  }

  /**
   * ServerReflectionResponse { FileDescriptorResponse file_descriptor_response = 4; ErrorResponse error_response = 7; },
   * FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }, ErrorResponse { int32 error_code = 1;
   * string error_message = 2; }.
   */
  static void readResponse(byte[] message, List<FileDescriptorProto> out) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    int tag;
    while ((tag = in.readTag()) != 0) {
      int number = tag >>> 3;
      if (number == 4) {
        CodedInputStream files = in.readBytes().newCodedInput();
        int t;
        while ((t = files.readTag()) != 0) {
          if (t >>> 3 == 1) {
            out.add(FileDescriptorProto.parseFrom(files.readBytes()));
          } else {
            files.skipField(t);
          }
        }
      } else if (number == 7) {
        CodedInputStream err = in.readBytes().newCodedInput();
        int code = 0;
        String text = "";
        int t;
        while ((t = err.readTag()) != 0) {
          if (t >>> 3 == 1) {
            code = err.readInt32();
          } else if (t >>> 3 == 2) {
            text = err.readString();
          } else {
            err.skipField(t);
          }
        }
        throw new IOException("reflection error " + GrpcPath.describeStatus(Integer.toString(code)) + ": " + text);
      } else {
        in.skipField(tag);
      }
    }
  }

  @Override
  public void close() {
    call.close();
  }
}
