package dev.shadowparity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tls} and {@code listen-tls} keys: defaults, and every mistake stopping the load with the file, line, key
 * and the PEM file named.
 */
class TlsConfigTest {

  private static final String SOURCE = "parity.yaml";

  @TempDir
  static Path dir;
  static Path ca;
  static Path cert;
  static Path key;
  static Path rsaKey;
  static Path otherKey;

  @BeforeAll
  static void files() throws Exception {
    ca = dir.resolve("ca.pem");
    cert = dir.resolve("client.pem");
    key = dir.resolve("client.key");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        dir.resolve("ca.key").toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=ca");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
        "-out", cert.toString(), "-days", "2", "-subj", "/CN=client");
    otherKey = dir.resolve("ca.key");
    // an RSA key in PKCS#1 (BEGIN RSA PRIVATE KEY) with its certificate
    rsaKey = dir.resolve("rsa.key");
    openssl("genrsa", "-traditional", "-out", rsaKey.toString(), "2048");
    openssl("req", "-x509", "-key", rsaKey.toString(), "-out", dir.resolve("rsa.pem").toString(), "-days", "2",
        "-subj", "/CN=rsa");
  }

  private static void openssl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
  }

  private static String failure(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parseTap(yaml, SOURCE));
    assertThat(e).as("ConfigException for:%n%s", yaml).isNotNull();
    return e.getMessage();
  }

  @Test
  void defaults_verifyHostnameOn_tls12AtLeast_noListenTls() {
    TapConfig t = ConfigLoader.parseTap("old: https://a.internal\n", SOURCE);
    assertThat(t.tls().neu().verifyHostname()).isTrue();
    assertThat(t.tls().neu().minVersion()).isEqualTo("TLSv1.2");
    assertThat(t.tls().neu().protocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
    assertThat(t.listenTls()).isNull();
  }

  @Test
  void everyKey_parses() {
    TapConfig t = ConfigLoader.parseTap("tls:\n"
        + "  new:\n"
        + "    ca-file: " + ca + "\n"
        + "    cert-file: " + cert + "\n"
        + "    key-file: " + key + "\n"
        + "    server-name: new.internal\n"
        + "    verify-hostname: false\n"
        + "    min-version: TLSv1.3\n"
        + "  old-secondary: {cert-file: " + dir.resolve("rsa.pem") + ", key-file: " + rsaKey + "}\n"
        + "listen-tls: {cert-file: " + cert + ", key-file: " + key + ", reload-interval: 5s}\n", SOURCE);
    assertThat(t.tls().neu().serverName()).isEqualTo("new.internal");
    assertThat(t.tls().neu().verifyHostname()).isFalse();
    assertThat(t.tls().neu().protocols()).containsExactly("TLSv1.3");
    assertThat(t.tls().old().isDefault()).isTrue();
    assertThat(t.tls().oldSecondary().keyFile()).isEqualTo(rsaKey.toString());
    assertThat(t.listenTls().reloadEvery()).hasSeconds(5);
  }

  @Test
  void missingFile_namesKeyFileAndLine() {
    String m = failure("old: https://a\ntls:\n  new:\n    ca-file: " + dir.resolve("nope.pem") + "\n");
    assertThat(m).startsWith(SOURCE + ":4:").contains("tls.new.ca-file: ").contains(dir.resolve("nope.pem") + ": no such file");
  }

  @Test
  void notPem_namesKeyAndFile() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "hello\n");
    String m = failure("listen-tls:\n  cert-file: " + junk + "\n  key-file: " + key + "\n");
    assertThat(m).startsWith(SOURCE + ":2:").contains("listen-tls.cert-file: ").contains(junk + ": not a PEM file");
  }

  @Test
  void keyOfAnotherCertificate_namesKeyFile() {
    String m = failure("tls:\n  old: {cert-file: " + cert + ", key-file: " + otherKey + "}\n");
    assertThat(m).contains("tls.old.key-file: ").contains(otherKey + ": the private key is not the key of the certificate");
  }

  @Test
  void certificateWhereAKeyBelongs_namesKeyFile() {
    String m = failure("tls:\n  old: {cert-file: " + cert + ", key-file: " + ca + "}\n");
    assertThat(m).contains("tls.old.key-file: ").contains(ca + ": holds no PEM private key");
  }

  @Test
  void certWithoutKey_refused() {
    assertThat(failure("tls:\n  new: {cert-file: " + cert + "}\n")).contains("tls.new.key-file: cert-file and key-file go together");
  }

  @Test
  void unknownKey_listsTheKnownOnes() {
    String m = failure("tls:\n  new:\n    ca-bundle: " + ca + "\n");
    assertThat(m).startsWith(SOURCE + ":3:").contains("tls.new.ca-bundle: unknown key 'ca-bundle'")
        .contains("ca-file, cert-file, key-file, min-version, server-name, verify-hostname");
  }

  @Test
  void unknownBackend_refused() {
    assertThat(failure("tls:\n  newer: {}\n")).contains("tls.newer: unknown key 'newer'").contains("new, old, old-secondary");
  }

  @Test
  void badMinVersion_refused() {
    String m = failure("tls:\n  new: {ca-file: " + ca + ", min-version: TLSv1.1}\n");
    assertThat(m).startsWith(SOURCE + ":2:").contains("tls.new.min-version: 'TLSv1.1' is not a TLS version the tap offers")
        .contains("TLSv1.2 or TLSv1.3");
  }

  @Test
  void listenTlsWithoutKey_refused() {
    assertThat(failure("listen-tls: {cert-file: " + cert + "}\n")).contains("listen-tls.key-file: listen-tls needs cert-file and key-file");
  }
}
