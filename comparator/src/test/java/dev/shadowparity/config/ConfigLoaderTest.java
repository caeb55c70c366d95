package dev.shadowparity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shadowparity.engine.PointerPattern;
import dev.shadowparity.engine.Rules;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  private static final String SOURCE = "parity.yaml";

  /** The shape documented in ParityConfig and its parts: every block, every key. */
  private static final String FULL = String.join("\n",
      "# Shadow Parity configuration",
      "rules:",
      "  ignore-headers: [X-Debug, x-backend]",
      "  compare-headers: [etag]",
      "  ignore:",
      "    - /meta/generated_at",
      "    - /items/*/updated_at",
      "  unordered: [/tags]",
      "  numeric-tolerance: 0.001",
      "  fold-whitespace: true",
      "endpoints:",
      "  \"GET /api/products/{id}\":",
      "    ignore: [/stock]",
      "    numeric-tolerance: 0.01",
      "  POST /api/orders:",
      "    compare-headers: [date]",
      "  OTHER: {}",
      "routes:",
      "  - /api/users/{id}/avatar-url",
      "  - GET /api/orders/{order}",
      "verdict:",
      "  max-mismatch-rate: 0.02",
      "  confidence: 0.99",
      "  min-compared: 100",
      "limits:",
      "  max-endpoints: 50",
      "  max-decoded-bytes: 1048576",
      "  samples-per-field: 5",
      "  samples-per-endpoint: 10",
      "  max-fields-per-endpoint: 100",
      "  sample-body-bytes: 4096",
      "  slug-threshold: 5",
      "  max-record-bytes: 2097152",
      "grpc:",
      "  reflection: false",
      "  reflection-timeout: 3s",
      "  max-messages: 50",
      "");

  private static ConfigException failure(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, SOURCE));
    assertThat(e).as("ConfigException for:%n%s", yaml).isNotNull();
    return e;
  }

  /** The line of the {@code file:line:column} position in a message. */
  private static int lineOf(String message) {
    Matcher m = Pattern.compile(Pattern.quote(SOURCE) + ":(\\d+):(\\d+)").matcher(message);
    assertThat(m.find()).as("'%s' has %s:line:column", message, SOURCE).isTrue();
    return Integer.parseInt(m.group(1));
  }

  // ---------------------------------------------------------------- the documented shape

  @Test
  void documentedShape_parsesEveryKey() {
    ParityConfig c = ConfigLoader.parse(FULL, SOURCE);

    assertThat(c.rules().ignoreHeaders()).containsExactly("X-Debug", "x-backend");
    assertThat(c.rules().compareHeaders()).containsExactly("etag");
    assertThat(c.rules().ignore()).containsExactly("/meta/generated_at", "/items/*/updated_at");
    assertThat(c.rules().unordered()).containsExactly("/tags");
    assertThat(c.rules().numericTolerance()).isEqualByComparingTo("0.001");
    assertThat(c.rules().foldWhitespace()).isTrue();

    assertThat(c.endpoints()).containsOnlyKeys("GET /api/products/{id}", "POST /api/orders", "OTHER");
    assertThat(c.endpoints().keySet()).containsExactly("GET /api/products/{id}", "POST /api/orders", "OTHER");
    assertThat(c.endpoints().get("GET /api/products/{id}").ignore()).containsExactly("/stock");
    assertThat(c.endpoints().get("OTHER").rules()).isEqualTo(RulesConfig.EMPTY);

    assertThat(c.routes()).containsExactly("/api/users/{id}/avatar-url", "GET /api/orders/{order}");

    assertThat(c.verdict().maxMismatchRate()).isEqualTo(0.02);
    assertThat(c.verdict().confidence()).isEqualTo(0.99);
    assertThat(c.verdict().minCompared()).isEqualTo(100L);

    assertThat(c.limits().maxEndpoints()).isEqualTo(50);
    assertThat(c.limits().maxDecodedBytes()).isEqualTo(1_048_576L);
    assertThat(c.limits().samplesPerField()).isEqualTo(5);
    assertThat(c.limits().samplesPerEndpoint()).isEqualTo(10);
    assertThat(c.limits().maxFieldsPerEndpoint()).isEqualTo(100);
    assertThat(c.limits().sampleBodyBytes()).isEqualTo(4096);
    assertThat(c.limits().slugThreshold()).isEqualTo(5);
    assertThat(c.limits().maxRecordBytes()).isEqualTo(2_097_152L);

    assertThat(c.grpc().reflection()).isFalse();
    assertThat(c.grpc().reflectionTimeoutDuration()).isEqualTo(java.time.Duration.ofSeconds(3));
    assertThat(c.grpc().maxMessages()).isEqualTo(50);
  }

  @Test
  void documentedShape_givesEngineRules_globalAndPerEndpointCombined() {
    ParityConfig c = ConfigLoader.parse(FULL, SOURCE);

    Rules global = c.globalRules();
    assertThat(global.ignoresHeader("x-debug")).isTrue();
    assertThat(global.ignoresHeader("X-Backend")).isTrue();
    assertThat(global.ignoresHeader("ETag")).isFalse();
    assertThat(global.ignoresHeader("date")).isTrue();
    assertThat(global.ignore()).containsExactly(PointerPattern.parse("/meta/generated_at"), PointerPattern.parse("/items/*/updated_at"));
    assertThat(global.unordered()).containsExactly(PointerPattern.parse("/tags"));
    assertThat(global.numericTolerance()).isEqualByComparingTo("0.001");
    assertThat(global.foldWhitespace()).isTrue();

    Map<String, Rules> byEndpoint = c.endpointRules();
    Rules products = byEndpoint.get("GET /api/products/{id}");
    assertThat(products.ignore()).contains(PointerPattern.parse("/meta/generated_at"), PointerPattern.parse("/stock"));
    assertThat(products.numericTolerance()).isEqualByComparingTo("0.01");
    assertThat(products.ignoresHeader("x-debug")).isTrue();
    Rules orders = byEndpoint.get("POST /api/orders");
    assertThat(orders.ignoresHeader("date")).isFalse();
    assertThat(orders.numericTolerance()).isEqualByComparingTo("0.001");
    assertThat(byEndpoint.get("OTHER").ignore()).hasSize(2);
  }

  @Test
  void documentedShape_loadsFromFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("parity.yaml");
    Files.writeString(file, FULL, StandardCharsets.UTF_8);
    assertThat(ConfigLoader.load(file)).isEqualTo(ConfigLoader.parse(FULL, SOURCE));
  }

  @Test
  void partialConfig_takesDefaultsForTheRest() {
    ParityConfig c = ConfigLoader.parse("limits:\n  max-endpoints: 7\n", SOURCE);
    assertThat(c.limits().maxEndpoints()).isEqualTo(7);
    assertThat(c.limits().maxDecodedBytes()).isEqualTo(LimitsConfig.DEFAULT_MAX_DECODED_BYTES);
    assertThat(c.limits().samplesPerField()).isEqualTo(LimitsConfig.DEFAULT_SAMPLES_PER_FIELD);
    assertThat(c.limits().slugThreshold()).isEqualTo(LimitsConfig.DEFAULT_SLUG_THRESHOLD);
    assertThat(c.limits().maxRecordBytes()).isEqualTo(LimitsConfig.DEFAULT_MAX_RECORD_BYTES);
    assertThat(c.verdict()).isEqualTo(VerdictConfig.DEFAULTS);
    assertThat(c.rules()).isEqualTo(RulesConfig.EMPTY);
    assertThat(c.endpoints()).isEmpty();
    assertThat(c.routes()).isEmpty();
  }

  @Test
  void nullBlocks_takeDefaults() {
    ParityConfig c = ConfigLoader.parse("rules:\nverdict:\nlimits:\nroutes:\nendpoints:\n", SOURCE);
    assertThat(c).isEqualTo(ParityConfig.DEFAULTS);
  }

  // ---------------------------------------------------------------- empty and missing

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "   ", "\n\n", "\t\n  \n"})
  void emptyText_givesDefaults(String yaml) {
    ParityConfig c = ConfigLoader.parse(yaml, SOURCE);
    assertThat(c).isEqualTo(ParityConfig.DEFAULTS);
    assertThat(c.limits().maxEndpoints()).isEqualTo(LimitsConfig.DEFAULT_MAX_ENDPOINTS);
    assertThat(c.verdict().confidence()).isEqualTo(VerdictConfig.DEFAULT_CONFIDENCE);
    assertThat(c.verdict().maxMismatchRate()).isEqualTo(VerdictConfig.DEFAULT_MAX_MISMATCH_RATE);
    assertThat(c.verdict().minCompared()).isEqualTo(VerdictConfig.DEFAULT_MIN_COMPARED);
    assertThat(c.globalRules().ignore()).isEmpty();
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"# nothing configured yet\n", "---\n", "# a\n# b\n---\n# c\n"})
  void commentOnlyOrEmptyDocument_givesDefaults(String yaml) {
    assertThat(ConfigLoader.parse(yaml, SOURCE)).isEqualTo(ParityConfig.DEFAULTS);
  }

  @Test
  void emptyFile_givesDefaults(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("empty.yaml");
    Files.writeString(file, "");
    assertThat(ConfigLoader.load(file)).isEqualTo(ParityConfig.DEFAULTS);
  }

  @Test
  void nullPath_givesDefaults() {
    assertThat(ConfigLoader.load(null)).isEqualTo(ParityConfig.DEFAULTS);
  }

  @Test
  void missingFile_givesClearMessage(@TempDir Path dir) {
    Path file = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("no such config file");
  }

  @Test
  void directoryInsteadOfFile_givesClearMessage(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(dir.toString());
  }

  // ---------------------------------------------------------------- unknown keys

  @Test
  void unknownTopLevelKey_namesFileLineColumnAndKey() {
    ConfigException e = failure("limits:\n  max-endpoints: 5\nrulez:\n  ignore: []\n");
    assertThat(e.getMessage()).contains(SOURCE).contains("unknown key 'rulez'");
    assertThat(lineOf(e.getMessage())).isEqualTo(3);
    assertThat(e.getMessage()).contains("limits").contains("rules").contains("verdict");
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "rules:\\n  ignore-header: [x]\\n                             | ignore-header   | 2 | rules",
      "limits:\\n  max-endpoints: 5\\n  max_endpoints: 6\\n         | max_endpoints   | 3 | limits",
      "verdict:\\n  confidance: 0.9\\n                              | confidance      | 2 | verdict",
      "endpoints:\\n  \"GET /x\":\\n    ignor: [/a]\\n              | ignor           | 3 | endpoints",
      "rules:\\n  numeric-tolerance: 0\\n  numericTolerance: 1\\n  | numericTolerance | 3 | rules",
  })
  void unknownNestedKey_namesFileLineColumnPathAndKey(String yamlEscaped, String key, int line, String parent) {
    ConfigException e = failure(yamlEscaped.replace("\\n", "\n"));
    assertThat(e.getMessage()).contains(SOURCE).contains("'" + key + "'").contains(parent);
    assertThat(lineOf(e.getMessage())).isEqualTo(line);
  }

  @Test
  void duplicateTopLevelKey_isAnError_notSilentlyOverridden() {
    // A second 'rules:' block would silently drop the first one.
    ConfigException e = failure("rules:\n  ignore: [/a]\nlimits:\n  max-endpoints: 5\nrules:\n  ignore: [/b]\n");
    assertThat(e.getMessage()).contains(SOURCE).contains("rules");
  }

  // ---------------------------------------------------------------- bad values

  @Test
  void stringWhereNumberExpected_namesKeyAndValue() {
    ConfigException e = failure("limits:\n  max-endpoints: lots\n");
    assertThat(e.getMessage()).contains(SOURCE).contains("max-endpoints").contains("lots").contains("number");
    assertThat(lineOf(e.getMessage())).isEqualTo(2);
  }

  @Test
  void stringWhereDecimalExpected_namesKeyAndValue() {
    ConfigException e = failure("verdict:\n  confidence: high\n");
    assertThat(e.getMessage()).contains("confidence").contains("high").contains("number");
    assertThat(lineOf(e.getMessage())).isEqualTo(2);
  }

  @Test
  void fractionWhereIntegerExpected_isRejected() {
    ConfigException e = failure("limits:\n  max-endpoints: 1.5\n");
    assertThat(e.getMessage()).contains("max-endpoints");
  }

  @Test
  void notABoolean_namesKey() {
    ConfigException e = failure("rules:\n  fold-whitespace: maybe\n");
    assertThat(e.getMessage()).contains(SOURCE).contains("fold-whitespace").contains("maybe");
  }

  @Test
  void scalarWhereListExpected_namesKey() {
    ConfigException e = failure("routes: 42\n");
    assertThat(e.getMessage()).contains(SOURCE).contains("routes");
  }

  @Test
  void listWhereMappingExpected_namesKey() {
    ConfigException e = failure("rules:\n  - /a\n");
    assertThat(e.getMessage()).contains(SOURCE).contains("rules").contains("mapping");
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "rules:\\n  numeric-tolerance: -0.5\\n           | numeric-tolerance | must not be negative   | -0.5",
      "verdict:\\n  confidence: 1.5\\n                 | confidence        | below 1                | 1.5",
      "verdict:\\n  confidence: 0\\n                   | confidence        | above 0                | 0",
      "verdict:\\n  max-mismatch-rate: 1\\n            | max-mismatch-rate | below 1                | 1",
      "verdict:\\n  max-mismatch-rate: -0.1\\n         | max-mismatch-rate | at least 0             | -0.1",
      "verdict:\\n  min-compared: -1\\n                | min-compared      | must not be negative   | -1",
      "limits:\\n  max-endpoints: 0\\n                 | max-endpoints     | must be positive       | 0",
      "limits:\\n  max-decoded-bytes: -1\\n            | max-decoded-bytes | must be positive       | -1",
      "limits:\\n  samples-per-field: -3\\n            | samples-per-field | must not be negative   | -3",
      "limits:\\n  transport: quic\\n                 | transport         | auto, io_uring, epoll  | quic",
      "limits:\\n  slug-threshold: -1\\n              | slug-threshold    | must not be negative   | -1",
      "limits:\\n  slug-threshold: 5000\\n            | slug-threshold    | must be at most 1000   | 5000",
      "limits:\\n  max-record-bytes: 0\\n              | max-record-bytes  | must be positive       | 0",
      "limits:\\n  max-record-bytes: 2147483648\\n     | max-record-bytes  | must be at most 1073741824 | 2147483648",
      "rules:\\n  ignore: [meta/x]\\n                  | ignore[0]         | must start with '/'    | meta/x",
      "rules:\\n  unordered: [/a, tags]\\n             | unordered[1]      | must start with '/'    | tags",
      "rules:\\n  ignore: ['/a~2b']\\n                 | ignore[0]         | must be followed by 0  | /a~2b",
      "rules:\\n  ignore-headers: ['']\\n              | ignore-headers[0] | non-empty              | ''",
      "endpoints:\\n  /api/x: {}\\n                    | /api/x            | is not an endpoint     | METHOD",
      "endpoints:\\n  get /api/x: {}\\n                | get /api/x        | is not an endpoint     | METHOD",
      "endpoints:\\n  GET /api/x:\\n                   | GET /api/x        | has no rules           | {}",
      "routes: [api/users]\\n                          | routes[0]         | starting with '/'      | api/users",
      "routes: ['/api/{id']\\n                         | routes[0]         | whole {name}           | /api/{id",
  })
  void badValue_namesKeyAndProblem(String yamlEscaped, String key, String problem, String value) {
    ConfigException e = failure(yamlEscaped.replace("\\n", "\n"));
    assertThat(e.getMessage()).contains(SOURCE).contains(key).contains(problem);
    if (!value.equals("''")) {
      assertThat(e.getMessage()).contains(value);
    }
    lineOf(e.getMessage());
  }

  @Test
  void invalidYamlSyntax_namesFileAndPosition() {
    ConfigException e = failure("rules:\n  ignore: [/a, /b\nlimits: {}\n");
    assertThat(e.getMessage()).contains(SOURCE).contains("not valid YAML");
    lineOf(e.getMessage());
  }

  @Test
  void topLevelListInsteadOfMapping_isRejected() {
    ConfigException e = failure("- rules\n- limits\n");
    assertThat(e.getMessage()).contains(SOURCE);
  }

  @Test
  void configException_keepsCause() {
    ConfigException e = failure("limits:\n  max-endpoints: lots\n");
    assertThat(e.getCause()).isNotNull();
  }

  @Test
  void numericToleranceZero_isAllowed() {
    assertThat(ConfigLoader.parse("rules:\n  numeric-tolerance: 0\n", SOURCE).globalRules().numericTolerance())
        .isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void boundaryValues_areAccepted() {
    ParityConfig c = ConfigLoader.parse("verdict:\n  max-mismatch-rate: 0\n  min-compared: 0\n  confidence: 0.5\n"
        + "limits:\n  samples-per-field: 0\n  samples-per-endpoint: 0\n  max-endpoints: 1\n", SOURCE);
    assertThat(c.verdict().maxMismatchRate()).isZero();
    assertThat(c.verdict().minCompared()).isZero();
    assertThat(c.limits().samplesPerField()).isZero();
    assertThat(c.limits().maxEndpoints()).isEqualTo(1);
  }

  @Test
  void everyTopLevelKey_isReadByOneSideAndIgnoredByTheOther() {
    String yaml = String.join("\n",
        "rules: {}", "endpoints: {}", "routes: []", "verdict: {}", "limits: {}", "noise: {}",
        "redact: {headers: [x-api-key], fields: [pin], card-numbers: false}",
        "listen: 127.0.0.1:1", "admin: 127.0.0.1:2", "old: http://127.0.0.1:3", "new: http://127.0.0.1:4",
        "sample-rate: 0.5", "sticky: header:x-user", "mirror-methods: [GET]", "timeouts: {}", "capture: {file: c.ndjson}",
        "admin-token: t", "host-header: target", "forwarded-headers: true", "old-secondary: http://127.0.0.1:5",
        "store: {file: p.db, flush: 250ms}", "");
    ParityConfig engine = ConfigLoader.parse(yaml, SOURCE);
    TapConfig tap = ConfigLoader.parseTap(yaml, SOURCE);
    assertThat(engine.redact().headers()).containsExactly("x-api-key");
    assertThat(engine.redact().fields()).containsExactly("pin");
    assertThat(engine.redact().cardNumbers()).isFalse();
    assertThat(tap.store().file()).isEqualTo("p.db");
    assertThat(tap.store().flushInterval()).isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(tap.override().storeFile("none").apply().store().path()).isNull();
    assertThat(tap.store().path()).isEqualTo(Path.of("p.db"));
    assertThat(tap.override().storeFile("other.db").apply().store()).isEqualTo(new TapConfig.StoreConfig("other.db", "250ms"));
    assertThat(tap.override().storeFile(null).apply()).isEqualTo(tap);

    // a fleet's shared database, and which tap this is
    TapConfig fleet = ConfigLoader.parseTap("store: {file: 'postgresql://parity@db:5432/parity', tap-id: pod-7}", SOURCE);
    assertThat(fleet.store().tapId()).isEqualTo("pod-7");
    assertThat(fleet.store().path()).as("a database is no file").isNull();
    assertThat(fleet.store().inMemory()).isFalse();
    assertThat(fleet.override().tapId("pod-8").apply().store()).isEqualTo(
        new TapConfig.StoreConfig("postgresql://parity@db:5432/parity", "1s", "pod-8"));
    assertThatThrownBy(() -> ConfigLoader.parseTap("store: {tap-id: \"a\\tb\"}", SOURCE)).hasMessageContaining("tap-id");
    assertThat(new TapConfig.StoreConfig("postgresql://parity:hunter2@db/parity", null).toString())
        .contains("postgresql://parity:***@db/parity").doesNotContain("hunter2");
  }

  @Test
  void badStoreAndRedactValues_nameTheKey() {
    assertThatThrownBy(() -> ConfigLoader.parseTap("store: {file: p.db, flush: soon}\n", SOURCE))
        .isInstanceOf(ConfigException.class).hasMessageContaining("store.flush");
    assertThatThrownBy(() -> ConfigLoader.parse("redact:\n  fields: [\"--\"]\n", SOURCE))
        .isInstanceOf(ConfigException.class).hasMessageContaining("redact.fields[0]").hasMessageContaining("no letters or digits");
    assertThatThrownBy(() -> ConfigLoader.parse("redact-headers: [x]\n", SOURCE))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'redact-headers'").hasMessageContaining("redact");
  }

  @Test
  void limitsTransport_defaultsToAuto_andAcceptsEitherSpellingOfIoUring() throws Exception {
    assertThat(ConfigLoader.parse("", "t").limits().transport()).isEqualTo("auto");
    assertThat(ConfigLoader.parse("limits: {transport: io-uring}\n", "t").limits().transport()).isEqualTo("io_uring");
    assertThat(ConfigLoader.parse("limits: {transport: EPOLL}\n", "t").limits().transport()).isEqualTo("epoll");
  }

  /** A mistake in an endpoint's own rules is reported like one under rules:, with line and key, at load time. */
  @Test
  void aBadRuleUnderAnEndpoint_namesLineAndKey_atLoadTime() {
    ConfigException e = failure("endpoints:\n  \"GET /api/x\":\n    ignore: [\"not-a-pointer\"]\n");
    assertThat(lineOf(e.getMessage())).isEqualTo(3);
    assertThat(e.getMessage()).contains("endpoints.GET /api/x.ignore[0]").contains("'not-a-pointer' is not a JSON Pointer");
    ConfigException tolerance = failure("endpoints:\n  \"GET /api/x\":\n    numeric-tolerance: -1\n");
    assertThat(lineOf(tolerance.getMessage())).isEqualTo(3);
    assertThat(tolerance.getMessage()).contains("endpoints.GET /api/x.numeric-tolerance");
  }

  @Test
  void adminHostsAndInsecure_areRead_checked_andOverriddenByFlags() {
    TapConfig tap = ConfigLoader.parseTap("admin: 0.0.0.0:9090\nadmin-hosts: [tap.internal, .svc.cluster.local, \"*\"]\n"
        + "admin-insecure: true\n", SOURCE);
    assertThat(tap.adminHosts()).containsExactly("tap.internal", ".svc.cluster.local", "*");
    assertThat(tap.adminInsecure()).isTrue();
    assertThat(tap.adminExposure()).isNull();
    assertThat(TapConfig.DEFAULTS.adminHosts()).isEmpty();
    assertThat(TapConfig.DEFAULTS.adminInsecure()).isFalse();
    assertThat(TapConfig.DEFAULTS.adminExposure()).as("127.0.0.1 is loopback").isNull();
    TapConfig open = ConfigLoader.parseTap("admin: 0.0.0.0:9090\n", SOURCE);
    assertThat(open.adminExposure()).contains("0.0.0.0:9090 (not loopback) without a token").contains("--admin-insecure");
    assertThat(open.override().adminInsecure(true).apply().adminExposure()).isNull();
    assertThat(open.override().adminToken("t").apply().adminExposure()).isNull();
    assertThat(open.override().adminToken("").apply().adminExposure()).as("an empty token is none").isNotNull();
    assertThat(open.override().adminInsecure(false).apply().adminInsecure()).as("false keeps the file's").isFalse();
    assertThat(tap.override().adminInsecure(false).apply().adminInsecure()).as("false keeps the file's").isTrue();
    assertThat(tap.override().adminHosts(java.util.List.of("a.example")).apply().adminHosts()).as("given, they replace the file's")
        .containsExactly("a.example");
    assertThat(tap.override().adminHosts(java.util.List.of()).apply().adminHosts()).hasSize(3);
    for (String host : java.util.List.of("localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "LOCALHOST")) {
      assertThat(TapConfig.isLoopbackHost(host)).as(host).isTrue();
    }
    for (String host : java.util.List.of("0.0.0.0", "::", "[::]", "10.0.0.1", "tap.internal", "127.0.0.1.example", "localhost.example")) {
      assertThat(TapConfig.isLoopbackHost(host)).as(host).isFalse();
    }
    for (String bad : java.util.List.of("http://tap.internal", "tap.internal:9090", "tap internal", "*.example")) {
      assertThatThrownBy(() -> ConfigLoader.parseTap("admin-hosts: [\"" + bad + "\"]\n", SOURCE)).as(bad)
          .isInstanceOf(ConfigException.class).hasMessageContaining("admin-hosts[0]").hasMessageContaining("without scheme or port");
    }
    assertThatThrownBy(() -> tap.override().adminHosts(java.util.List.of("x:1")).apply()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--admin-host: 'x:1' must be a host name");
  }
}
