package dev.shadowparity.tap.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.config.PemFiles;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code ca-file} adds its CAs to the JVM's default trust, never replacing it. */
class TlsOptionsTest {

  @TempDir
  Path dir;

  @Test
  void caFile_isAddedToTheJvmsCas() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", dir.resolve("ca.key").toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=private-ca")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    X509Certificate privateCa = PemFiles.certificates(PemFiles.read(ca.toString()), ca.toString()).get(0);

    List<X509Certificate> jvmCas = issuers(jvmDefault());
    assertThat(jvmCas).as("the JVM has default CAs to keep").isNotEmpty().doesNotContain(privateCa);
    List<X509Certificate> trusted = issuers(TlsOptions.trustWithDefaults(List.of(privateCa)));
    assertThat(trusted).containsAll(jvmCas).contains(privateCa).hasSize(jvmCas.size() + 1);
  }

  private static TrustManagerFactory jvmDefault() throws Exception {
    TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jvm.init((KeyStore) null);
    return jvm;
  }

  private static List<X509Certificate> issuers(TrustManagerFactory f) {
    return Arrays.stream(f.getTrustManagers()).filter(t -> t instanceof X509TrustManager)
        .flatMap(t -> Arrays.stream(((X509TrustManager) t).getAcceptedIssuers())).toList();
  }
}
