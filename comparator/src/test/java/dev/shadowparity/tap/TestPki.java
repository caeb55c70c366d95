package dev.shadowparity.tap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and certificates made at test time with the {@code openssl} command (no key material is checked in): EC
 * P-256 keys in PKCS#8, certificates for {@code 127.0.0.1} and {@code localhost} unless another name is asked for.
 */
final class TestPki {

  final Path dir;
  private int serial = 100;

  /** A certificate and its key, as PEM files. */
  record Pair(Path cert, Path key) {}

  TestPki(Path dir) {
    this.dir = dir;
  }

  /** A self-signed CA named {@code name}: its certificate and key. */
  Pair ca(String name) throws IOException {
    Pair ca = new Pair(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca.key().toString(),
        "-out", ca.cert().toString(), "-days", "2", "-subj", "/CN=" + name,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return ca;
  }

  /** A server certificate for 127.0.0.1 and localhost signed by {@code ca}, valid for two days. */
  Pair server(Pair ca, String file) throws IOException {
    return leaf(ca, file, "localhost", "IP:127.0.0.1,DNS:localhost", "serverAuth", 2);
  }

  /**
   * A certificate signed by {@code ca}: {@code cn} as subject, {@code sans} as subjectAltName (e.g.
   * {@code DNS:other.example}), {@code usage} as extendedKeyUsage, valid for {@code days} days from now ({@code -1}:
   * it expired yesterday).
   */
  Pair leaf(Pair ca, String file, String cn, String sans, String usage, int days) throws IOException {
    Pair p = new Pair(dir.resolve(file + ".pem"), dir.resolve(file + ".key"));
    Path csr = dir.resolve(file + ".csr");
    Path ext = dir.resolve(file + ".ext");
    Files.writeString(ext, "subjectAltName=" + sans + "\nextendedKeyUsage=" + usage + "\n");
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", p.key().toString(),
        "-out", csr.toString(), "-subj", "/CN=" + cn);
    openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
        "-set_serial", String.valueOf(serial++), "-days", String.valueOf(days), "-extfile", ext.toString(),
        "-out", p.cert().toString());
    return p;
  }

  /** A client certificate for mutual TLS signed by {@code ca}. */
  Pair client(Pair ca, String file) throws IOException {
    return leaf(ca, file, "parity-tap", "DNS:parity-tap", "clientAuth", 2);
  }

  private void openssl(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("openssl did not finish in 60 s: " + cmd);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + cmd, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("openssl failed (" + p.exitValue() + "): " + cmd + "\n" + out);
    }
  }
}
