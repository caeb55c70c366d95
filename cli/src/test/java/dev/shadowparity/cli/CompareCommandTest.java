package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ParityMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Path pair(String name, String side) {
    Path p = Path.of(System.getProperty("parity.fixtures", "../fixtures")).resolve("pairs").resolve(name).resolve(side + ".http");
    assertThat(p).exists();
    return p;
  }

  @Test
  void equalPair_exit0() {
    Run r = run("compare", pair("key-order", "old").toString(), pair("key-order", "new").toString());
    assertThat(r.exit()).isEqualTo(0);
    assertThat(r.out()).contains("EQUAL after normalization");
  }

  @Test
  void differentPair_exit1_listsFieldKindAndValues() {
    Run r = run("compare", pair("integer-division", "old").toString(), pair("integer-division", "new").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("/average").contains("value").containsPattern("937\\s+->\\s+937.5").contains("DIFFERENT");
  }

  @Test
  void differentPair_printsTheLikelyCauseNextToEachClassifiedDifference() {
    Run r = run("compare", pair("integer-division", "old").toString(), pair("integer-division", "new").toString());
    assertThat(r.out()).containsPattern("  /average +value +937 -> 937\\.5    likely integer-division\n");
    Run crash = run("compare", pair("status-200-vs-500", "old").toString(), pair("status-200-vs-500", "new").toString());
    assertThat(crash.out()).containsPattern("  status +value +200 -> 500    likely new-server-error\n")
        .containsPattern("  header:content-type +value +application/json -> text/html; charset=utf-8    likely new-server-error\n");
    // no rule explains this one: nothing is printed after the values
    Run unexplained = run("compare", pair("filter-truthiness", "old").toString(), pair("filter-truthiness", "new").toString());
    assertThat(unexplained.out()).containsPattern("  /has_promotions +value +false -> true\n").doesNotContain("likely");
  }

  @Test
  void jsonOutput_hasMatchEndpointAndDifferences() throws Exception {
    Run r = run("compare", "--json", "--endpoint", "GET /api/orders/42/summary",
        pair("integer-division", "old").toString(), pair("integer-division", "new").toString());
    assertThat(r.exit()).isEqualTo(1);
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("match").asBoolean()).isFalse();
    assertThat(doc.get("endpoint").asText()).isEqualTo("GET /api/orders/{id}/summary");
    JsonNode d = doc.get("differences").get(0);
    assertThat(d.get("field").asText()).isEqualTo("/average");
    assertThat(d.get("path").asText()).isEqualTo("/average");
    assertThat(d.get("kind").asText()).isEqualTo("value");
    assertThat(d.get("old").asText()).isEqualTo("937");
    assertThat(d.get("new").asText()).isEqualTo("937.5");
    assertThat(d.get("cause").asText()).isEqualTo("integer-division");
  }

  @Test
  void endpointRulesFromConfigApply() throws Exception {
    Path config = dir.resolve("parity.yaml");
    Files.writeString(config, "endpoints:\n  \"GET /api/orders/{id}/summary\":\n    ignore: [/average]\n");
    Run r = run("compare", "--config", config.toString(), "--endpoint", "GET /api/orders/42/summary",
        pair("integer-division", "old").toString(), pair("integer-division", "new").toString());
    assertThat(r.exit()).as(r.out()).isEqualTo(0);
  }

  @Test
  void bareBodies_sniffedAsJson() throws Exception {
    Path a = Files.writeString(dir.resolve("a.json"), "{\"b\":1,\"a\":\"caf\\u00e9\"}");
    Path b = Files.writeString(dir.resolve("b.json"), "{\"a\":\"café\",\"b\":1.0}", StandardCharsets.UTF_8);
    assertThat(run("compare", a.toString(), b.toString()).exit()).isEqualTo(0);
  }

  @Test
  void missingFile_exit2_namesTheFile() {
    Run r = run("compare", dir.resolve("nope.http").toString(), pair("key-order", "new").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("nope.http").contains("no such file");
  }

  @Test
  void brokenHttpFile_exit2_withPosition() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.http"), "HTTP/1.1 2xx OK\r\n\r\n");
    Run r = run("compare", bad.toString(), pair("key-order", "new").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad.http").contains("2xx").contains("at byte 0");
  }

  @Test
  void badConfig_exit2_namesKeyAndLine() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.yaml"), "rules:\n  ignore: [meta/x]\n");
    Run r = run("compare", "--config", config.toString(), pair("key-order", "old").toString(), pair("key-order", "new").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml:").contains("ignore").contains("must start with '/'");
  }

  @Test
  void aFileOverTheCap_isRefused_exit2_andOneAtTheCapIsCompared() throws Exception {
    Path config = Files.writeString(dir.resolve("small.yaml"), "limits:\n  max-record-bytes: 1024\n");
    Path at = Files.writeString(dir.resolve("at.txt"), "a".repeat(1024));
    Path over = Files.writeString(dir.resolve("over.txt"), "a".repeat(1025));
    Run r = run("compare", "--config", config.toString(), at.toString(), over.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(over + ": over 1024 bytes (limits.max-record-bytes)").doesNotContain("at.txt");
    assertThat(run("compare", "--config", config.toString(), at.toString(), at.toString()).exit()).isEqualTo(0);
  }

  @Test
  void aDeviceThatNeverEnds_andA3GbFile_areRefused_withoutBeingReadWhole() throws Exception {
    // sparse: 3 GB long, nothing written; only the default cap and one byte more are read of it
    Path huge = dir.resolve("huge.http");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3_000_000_000L);
    }
    Run r = run("compare", huge.toString(), pair("key-order", "new").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(huge + ": over 8388608 bytes (limits.max-record-bytes)");
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "a system with /dev/zero");
    Run z = run("compare", pair("key-order", "old").toString(), zero.toString());
    assertThat(z.exit()).isEqualTo(2);
    assertThat(z.err()).contains("/dev/zero: over 8388608 bytes (limits.max-record-bytes)");
  }

  @Test
  void usageError_exit2() {
    Run r = run("compare", "only-one-file");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter").contains("--help");
  }

  @Test
  void helpExplainsEveryOption() {
    Run r = run("compare", "--help");
    assertThat(r.exit()).isEqualTo(0);
    assertThat(r.out()).contains("--config").contains("--endpoint").contains("--content-type").contains("--json")
        .contains("curl -si").contains("Exit code");
  }
}
