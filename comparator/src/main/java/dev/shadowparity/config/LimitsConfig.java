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
 */
public record LimitsConfig(Integer maxEndpoints, Long maxDecodedBytes, Integer samplesPerField,
    Integer samplesPerEndpoint, Integer maxFieldsPerEndpoint, Integer sampleBodyBytes) {

  public static final int DEFAULT_MAX_ENDPOINTS = 500;
  public static final long DEFAULT_MAX_DECODED_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_SAMPLES_PER_FIELD = 3;
  public static final int DEFAULT_SAMPLES_PER_ENDPOINT = 30;
  public static final int DEFAULT_MAX_FIELDS_PER_ENDPOINT = 200;
  public static final int DEFAULT_SAMPLE_BODY_BYTES = 64 * 1024;
  public static final LimitsConfig DEFAULTS = new LimitsConfig(null, null, null, null, null, null);

  public LimitsConfig {
    maxEndpoints = ConfigChecks.positive(maxEndpoints, DEFAULT_MAX_ENDPOINTS, "max-endpoints");
    maxDecodedBytes = ConfigChecks.positive(maxDecodedBytes, DEFAULT_MAX_DECODED_BYTES, "max-decoded-bytes");
    samplesPerField = ConfigChecks.nonNegative(samplesPerField, DEFAULT_SAMPLES_PER_FIELD, "samples-per-field");
    samplesPerEndpoint = ConfigChecks.nonNegative(samplesPerEndpoint, DEFAULT_SAMPLES_PER_ENDPOINT, "samples-per-endpoint");
    maxFieldsPerEndpoint = ConfigChecks.positive(maxFieldsPerEndpoint, DEFAULT_MAX_FIELDS_PER_ENDPOINT, "max-fields-per-endpoint");
    sampleBodyBytes = ConfigChecks.positive(sampleBodyBytes, DEFAULT_SAMPLE_BODY_BYTES, "sample-body-bytes");
  }
}
