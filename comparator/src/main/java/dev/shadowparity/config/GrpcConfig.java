package dev.shadowparity.config;

import dev.shadowparity.grpc.DescriptorSet;
import dev.shadowparity.grpc.GrpcSchemas;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code grpc:} block of the engine: how gRPC messages are read ({@code docs/protocols.md}, "gRPC").
 *
 * @param descriptors       {@code FileDescriptorSet} files ({@code protoc --include_imports --descriptor_set_out}),
 *                          relative to the working directory; their services are decoded with them
 * @param reflection        ask a backend's server reflection for services the descriptors lack (default true)
 * @param reflectionTimeout how long a comparison waits for a service's descriptors by reflection (default 2s); past
 *                          that, it is compared by field number and the descriptors are used once they came; at most 30s
 * @param maxMessages       messages of a stream compared at most, per side (default 100); later ones are not read
 */
public record GrpcConfig(List<String> descriptors, Boolean reflection, String reflectionTimeout, Integer maxMessages) {

  public static final String DEFAULT_REFLECTION_TIMEOUT = "2s";
  public static final int DEFAULT_MAX_MESSAGES = 100;
  /** The most {@code reflection-timeout} may be: a comparison thread may wait that long for a service's types. */
  public static final long MAX_REFLECTION_TIMEOUT_MILLIS = 30_000;
  /** The most {@code max-messages} may be: each message of a stream is a JSON tree held at once. */
  public static final int MAX_MAX_MESSAGES = 100_000;
  public static final GrpcConfig DEFAULTS = new GrpcConfig(null, null, null, null);

  public GrpcConfig {
    descriptors = ConfigChecks.strings(descriptors, "descriptors");
    for (int i = 0; i < descriptors.size(); i++) {
      try {
        DescriptorSet.load(List.of(Path.of(descriptors.get(i))));
      } catch (IllegalArgumentException e) {
        throw new InvalidValueException("descriptors[" + i + "]", e.getMessage(), e);
      }
    }
    if (descriptors.size() > 1) {
      try {
        DescriptorSet.load(paths(descriptors)); // imports across files
      } catch (IllegalArgumentException e) {
        throw new InvalidValueException("descriptors", e.getMessage(), e);
      }
    }
    reflection = reflection == null || reflection;
    reflectionTimeout = reflectionTimeout == null ? DEFAULT_REFLECTION_TIMEOUT : reflectionTimeout;
    long timeoutMs = TapConfig.parseDuration(reflectionTimeout, "reflection-timeout").toMillis();
    if (timeoutMs < 1) {
      throw new InvalidValueException("reflection-timeout", "must be at least 1ms, got " + reflectionTimeout);
    }
    if (timeoutMs > MAX_REFLECTION_TIMEOUT_MILLIS) {
      throw new InvalidValueException("reflection-timeout",
          "must be at most " + MAX_REFLECTION_TIMEOUT_MILLIS / 1000 + "s (a comparison thread waits that long), got "
              + reflectionTimeout);
    }
    maxMessages = ConfigChecks.positive(maxMessages, DEFAULT_MAX_MESSAGES, "max-messages");
    if (maxMessages > MAX_MAX_MESSAGES) {
      throw new InvalidValueException("max-messages", "must be at most " + MAX_MAX_MESSAGES + ", got " + maxMessages);
    }
  }

  /** {@code reflection-timeout} as a duration. */
  public Duration reflectionTimeoutDuration() {
    return TapConfig.parseDuration(reflectionTimeout, "reflection-timeout");
  }

  /** The schemas of this block: the descriptor files read (again: they were checked when the config was bound). */
  public GrpcSchemas schemas() {
    DescriptorSet set = descriptors.isEmpty() ? DescriptorSet.EMPTY : DescriptorSet.load(paths(descriptors));
    return new GrpcSchemas(set, reflection, maxMessages);
  }

  private static List<Path> paths(List<String> files) {
    List<Path> paths = new ArrayList<>(files.size());
    files.forEach(f -> paths.add(Path.of(f)));
    return paths;
  }
}
