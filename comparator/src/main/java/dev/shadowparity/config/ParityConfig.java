package dev.shadowparity.config;

import dev.shadowparity.endpoint.EndpointTemplater;
import dev.shadowparity.endpoint.RoutePattern;
import dev.shadowparity.engine.Rules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The whole configuration file. Every key is optional; an absent key takes its default.
 *
 * @param rules     normalization rules for every endpoint
 * @param endpoints rules (and tap sampling) per endpoint ({@code "GET /api/products/{id}"}), added to the global ones
 * @param routes    route patterns ({@code /api/users/{id}/avatar-url}, optionally with a method) tried before
 *                  automatic id templating
 * @param verdict   when an endpoint is proven
 * @param limits    caps on memory and cardinality
 * @param noise     learned noise: thresholds, and fields pinned as noise or as never-noise
 * @param redact    what is masked in samples, the store and captures (headers, body fields, card numbers)
 * @param grpc      how gRPC messages are read: descriptor sets, server reflection, stream caps
 */
public record ParityConfig(RulesConfig rules, Map<String, EndpointConfig> endpoints, List<String> routes,
    VerdictConfig verdict, LimitsConfig limits, NoiseConfig noise, RedactConfig redact, GrpcConfig grpc) {

  private static final Pattern ENDPOINT_KEY = Pattern.compile("[A-Z]+ /\\S*|grpc /\\S+|" + EndpointTemplater.OTHER);

  public static final ParityConfig DEFAULTS = new ParityConfig(null, null, null, null, null, null, null, null);

  /** Without a {@code grpc:} block. */
  public ParityConfig(RulesConfig rules, Map<String, EndpointConfig> endpoints, List<String> routes,
      VerdictConfig verdict, LimitsConfig limits, NoiseConfig noise, RedactConfig redact) {
    this(rules, endpoints, routes, verdict, limits, noise, redact, null);
  }

  public ParityConfig {
    rules = rules == null ? RulesConfig.EMPTY : rules;
    endpoints = endpoints == null ? Map.of() : endpoints;
    for (Map.Entry<String, EndpointConfig> e : endpoints.entrySet()) {
      if (!ENDPOINT_KEY.matcher(e.getKey()).matches()) {
        throw new InvalidValueException("endpoints." + e.getKey(), "'" + e.getKey()
            + "' is not an endpoint; write METHOD and path, e.g. \"GET /api/products/{id}\", or grpc and the call's path, "
            + "e.g. \"grpc /shop.Catalog/GetProduct\"");
      }
      if (e.getValue() == null) {
        throw new InvalidValueException("endpoints." + e.getKey(), "has no rules (write {} for none)");
      }
    }
    endpoints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    routes = ConfigChecks.strings(routes, "routes");
    for (int i = 0; i < routes.size(); i++) {
      try {
        RoutePattern.parse(routes.get(i));
      } catch (IllegalArgumentException e) {
        throw new InvalidValueException("routes[" + i + "]", e.getMessage(), e);
      }
    }
    verdict = verdict == null ? VerdictConfig.DEFAULTS : verdict;
    limits = limits == null ? LimitsConfig.DEFAULTS : limits;
    noise = noise == null ? NoiseConfig.DEFAULTS : noise;
    redact = redact == null ? RedactConfig.DEFAULTS : redact;
    grpc = grpc == null ? GrpcConfig.DEFAULTS : grpc;
  }

  /** The global rules. */
  public Rules globalRules() {
    return rules.toRules();
  }

  /** Rules per endpoint, each already combined with the global rules. */
  public Map<String, Rules> endpointRules() {
    Rules global = globalRules();
    Map<String, Rules> byEndpoint = new LinkedHashMap<>();
    endpoints.forEach((endpoint, r) -> byEndpoint.put(endpoint, global.plus(r.rules().toRules())));
    return byEndpoint;
  }

}
