package dev.shadowparity.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The whole YAML file, bound once: the engine's keys ({@link #engine()}) and the tap's ({@link #tap()}) side by side,
 * so that every key is known in one place and a mistake anywhere is reported with its file, line and key. Both
 * parts are built (and so checked) while the file is bound.
 */
public record ConfigFile(RulesConfig rules, Map<String, EndpointConfig> endpoints, List<String> routes,
    VerdictConfig verdict, LimitsConfig limits, NoiseConfig noise, RedactConfig redact, GrpcConfig grpc,
    String listen, String admin, String old, @JsonProperty("new") String neu, Double sampleRate, String sticky,
    List<String> mirrorMethods, TapConfig.TimeoutsConfig timeouts, TapConfig.CaptureConfig capture, String adminToken,
    String hostHeader, Boolean forwardedHeaders, String oldSecondary, TapConfig.StoreConfig store,
    List<String> adminHosts, Boolean adminInsecure, TlsConfig tls, TlsConfig.Listen listenTls,
    TapConfig.ProtocolConfig protocol) {

  /** An empty file: every default. */
  public static final ConfigFile DEFAULTS = new ConfigFile(null, null, null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  public ConfigFile {
    // built once here so that their checks run while the YAML is bound (and name the line), not later
    new ParityConfig(rules, endpoints, routes, verdict, limits, noise, redact, grpc);
    new TapConfig(listen, admin, old, neu, sampleRate, sticky, mirrorMethods, timeouts, capture, adminToken, hostHeader,
        forwardedHeaders, oldSecondary, store, adminHosts, adminInsecure, tls, listenTls, protocol);
  }

  /** The engine's part: rules, endpoints, routes, verdict, limits, noise, redact, grpc. */
  public ParityConfig engine() {
    return new ParityConfig(rules, endpoints, routes, verdict, limits, noise, redact, grpc);
  }

  /** The tap's part: where it listens, the backends, sampling, timeouts, capture, store. */
  public TapConfig tap() {
    return new TapConfig(listen, admin, old, neu, sampleRate, sticky, mirrorMethods, timeouts, capture, adminToken,
        hostHeader, forwardedHeaders, oldSecondary, store, adminHosts, adminInsecure, tls, listenTls, protocol);
  }
}
