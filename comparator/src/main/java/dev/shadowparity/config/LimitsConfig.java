package dev.shadowparity.config;

/**
 * The {@code limits:} block of the engine (the tap adds its own limits later).
 *
 * @param maxEndpoints      distinct endpoints tracked; the rest go to the {@code OTHER} bucket
 * @param maxDecodedBytes   largest body after decompression; larger ones are undecodable
 * @param samplesPerField   samples kept per field of an endpoint
 * @param samplesPerEndpoint samples kept per endpoint in all
 * @param maxFieldsPerEndpoint distinct field keys counted per endpoint; the rest count as {@code (other fields)}
 * @param sampleBodyBytes   characters of each body kept in a sample
 * @param requestBodyBytes  (tap) request body buffered to mirror it; a larger one is not mirrored
 * @param responseCopyBytes (tap) copy of each response kept for comparison; a larger one is skipped
 * @param compareThreads    (tap) threads of the comparison pool; default half the CPUs (at least 1), so that
 *                          comparisons never take the proxy's CPU: past that, they are dropped as overload
 * @param compareQueue      (tap) exchanges waiting for the pool; beyond, they are dropped as overload
 * @param maxShadowInFlight (tap) requests to NEW in flight at once; beyond, mirroring is skipped as overload
 * @param maxMetricFields   (tap) field tag values per endpoint in metrics; the rest are tagged {@code other}
 * @param maxBufferedBytes  (tap) bytes of request/response copies held at once, in flight and queued; an
 *                          exchange whose copies do not fit is dropped as overload
 * @param eventLoops        (tap, replay) event loops, each with one proxy instance on the shared port (replay: its
 *                          HTTP clients to OLD and NEW); default half the CPUs (at least 1)
 * @param transport         (tap) the network transport under the event loops: {@code auto} (default: epoll where
 *                          it can run, else Java NIO), {@code io_uring}, {@code epoll} or {@code nio}; one named
 *                          that this machine cannot run stops the tap at startup
 * @param slugThreshold     distinct values a path position (method and templated path before it) may take and keep
 *                          them; past that, it is {@code {name}} for later requests (user names, slugs); 0 turns
 *                          this off. Far below {@code maxEndpoints}, so that the names before the crossing do not
 *                          fill the cap
 * @param maxRecordBytes    (replay, compare) the most bytes of input read into memory as one unit: a capture record
 *                          (an NDJSON line, a HAR entry, a GoReplay payload) or a file given to {@code parity compare};
 *                          a larger record is reported with its position and skipped without being held, a larger
 *                          compare file refused
 * @param maxClientConnections (tap) client connections open at once, over all event loops; one more is closed as soon
 *                          as it is accepted (and counted), so that idle or slow clients can never take every file
 *                          descriptor and stop {@code accept}; {@code null}: derived from the process's open-file
 *                          limit when the tap starts ({@code dev.shadowparity.tap.impl.ClientConnections#defaultMax})
 */
public record LimitsConfig(Integer maxEndpoints, Long maxDecodedBytes, Integer samplesPerField,
    Integer samplesPerEndpoint, Integer maxFieldsPerEndpoint, Integer sampleBodyBytes,
    Long requestBodyBytes, Long responseCopyBytes, Integer compareThreads, Integer compareQueue,
    Integer maxShadowInFlight, Integer maxMetricFields, Long maxBufferedBytes, Integer eventLoops, String transport,
    Integer slugThreshold, Long maxRecordBytes, Integer maxClientConnections) {

  public static final int DEFAULT_MAX_ENDPOINTS = 500;
  public static final long DEFAULT_MAX_DECODED_BYTES = dev.shadowparity.engine.CompareOptions.DEFAULT_MAX_DECODED_BYTES;
  public static final int DEFAULT_SAMPLES_PER_FIELD = 3;
  public static final int DEFAULT_SAMPLES_PER_ENDPOINT = 30;
  public static final int DEFAULT_MAX_FIELDS_PER_ENDPOINT = 200;
  public static final int DEFAULT_SAMPLE_BODY_BYTES = 64 * 1024;
  public static final long DEFAULT_REQUEST_BODY_BYTES = 1024L * 1024;
  public static final long DEFAULT_RESPONSE_COPY_BYTES = 8L * 1024 * 1024;
  public static final int DEFAULT_COMPARE_QUEUE = 1000;
  public static final int DEFAULT_MAX_SHADOW_IN_FLIGHT = 1000;
  public static final int DEFAULT_MAX_METRIC_FIELDS = 20;
  /** The most {@link #defaultMaxBufferedBytes()} gives, whatever the heap. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 128L * 1024 * 1024;
  public static final int DEFAULT_SLUG_THRESHOLD = dev.shadowparity.endpoint.EndpointTemplater.DEFAULT_SLUG_THRESHOLD;
  /** The largest slug threshold: each learned position keeps up to this many 8-byte hashes. */
  public static final int MAX_SLUG_THRESHOLD = 1000;
  /**
   * Fits the launcher's 160 MiB replay heap: parsing one record holds a few times its size (its bytes, the JSON tree's
   * strings, the decoded bodies), and replay keeps at most {@link #recordBytesInFlight(long)} of recorded bodies in
   * flight besides.
   */
  public static final long DEFAULT_MAX_RECORD_BYTES = 8L * 1024 * 1024;
  /** The largest record cap: one record's bytes are held in one array. */
  public static final long MAX_MAX_RECORD_BYTES = 1024L * 1024 * 1024;
  public static final java.util.List<String> TRANSPORTS = java.util.List.of("auto", "io_uring", "epoll", "nio");
  public static final LimitsConfig DEFAULTS = new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null);

  /**
   * Half the CPUs, at least one: a sidecar shares its host with the service it fronts (and with its own
   * comparison pool). On 2 cores, one event loop gave the tap more throughput and a shorter tail than two, both
   * with sampling on and off (bench/README.md).
   */
  public static int defaultEventLoops() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /**
   * An eighth of the heap, at most {@link #DEFAULT_MAX_BUFFERED_BYTES} (48 MB under the launcher's 384 MB):
   * copies are copied again when handed over and comparisons hold more (ComparePool reserves their working
   * memory from the same budget), so the budget must leave the heap room for both.
   */
  public static long defaultMaxBufferedBytes() {
    return Math.min(DEFAULT_MAX_BUFFERED_BYTES, Runtime.getRuntime().maxMemory() / 8);
  }

  /**
   * Bytes of recorded bodies (request and recorded OLD answer) that replay keeps in flight at once, whatever
   * {@code --concurrency} says: twice the record cap. A record larger than what is left waits for the exchanges
   * before it; one alone always goes.
   */
  public static long recordBytesInFlight(long maxRecordBytes) {
    return 2 * maxRecordBytes;
  }

  /** Half the CPUs, at least one: the proxy's event loops keep the rest. */
  public static int defaultCompareThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  public LimitsConfig {
    maxEndpoints = ConfigChecks.positive(maxEndpoints, DEFAULT_MAX_ENDPOINTS, "max-endpoints");
    maxDecodedBytes = ConfigChecks.positive(maxDecodedBytes, DEFAULT_MAX_DECODED_BYTES, "max-decoded-bytes");
    samplesPerField = ConfigChecks.nonNegative(samplesPerField, DEFAULT_SAMPLES_PER_FIELD, "samples-per-field");
    samplesPerEndpoint = ConfigChecks.nonNegative(samplesPerEndpoint, DEFAULT_SAMPLES_PER_ENDPOINT, "samples-per-endpoint");
    maxFieldsPerEndpoint = ConfigChecks.positive(maxFieldsPerEndpoint, DEFAULT_MAX_FIELDS_PER_ENDPOINT, "max-fields-per-endpoint");
    sampleBodyBytes = ConfigChecks.positive(sampleBodyBytes, DEFAULT_SAMPLE_BODY_BYTES, "sample-body-bytes");
    requestBodyBytes = ConfigChecks.positive(requestBodyBytes, DEFAULT_REQUEST_BODY_BYTES, "request-body-bytes");
    responseCopyBytes = ConfigChecks.positive(responseCopyBytes, DEFAULT_RESPONSE_COPY_BYTES, "response-copy-bytes");
    compareThreads = ConfigChecks.positive(compareThreads, defaultCompareThreads(), "compare-threads");
    compareQueue = ConfigChecks.positive(compareQueue, DEFAULT_COMPARE_QUEUE, "compare-queue");
    maxShadowInFlight = ConfigChecks.positive(maxShadowInFlight, DEFAULT_MAX_SHADOW_IN_FLIGHT, "max-shadow-in-flight");
    maxMetricFields = ConfigChecks.positive(maxMetricFields, DEFAULT_MAX_METRIC_FIELDS, "max-metric-fields");
    maxBufferedBytes = ConfigChecks.positive(maxBufferedBytes, defaultMaxBufferedBytes(), "max-buffered-bytes");
    eventLoops = ConfigChecks.positive(eventLoops, defaultEventLoops(), "event-loops");
    transport = transport == null ? "auto" : transport.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    if (!TRANSPORTS.contains(transport)) {
      throw new InvalidValueException("transport", "must be one of auto, io_uring, epoll or nio, got '" + transport + "'");
    }
    slugThreshold = ConfigChecks.nonNegative(slugThreshold, DEFAULT_SLUG_THRESHOLD, "slug-threshold");
    if (slugThreshold > MAX_SLUG_THRESHOLD) {
      throw new InvalidValueException("slug-threshold", "must be at most " + MAX_SLUG_THRESHOLD + " (0 turns it off), got "
          + slugThreshold);
    }
    maxRecordBytes = ConfigChecks.positive(maxRecordBytes, DEFAULT_MAX_RECORD_BYTES, "max-record-bytes");
    if (maxRecordBytes > MAX_MAX_RECORD_BYTES) {
      throw new InvalidValueException("max-record-bytes", "must be at most " + MAX_MAX_RECORD_BYTES + " (1 GiB), got "
          + maxRecordBytes);
    }
    if (maxClientConnections != null && maxClientConnections <= 0) {
      // no default here: the tap derives it from the open-file limit when it starts
      throw new InvalidValueException("max-client-connections", "must be positive, got " + maxClientConnections);
    }
  }
}
