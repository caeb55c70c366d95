package dev.shadowparity.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks PEM files (certificates, private keys) the way the TLS settings need them: at config load, so that
 * a missing, unreadable or malformed file stops the tap with its key and file named, and again when the listen port's
 * files change. Key contents never appear in a message.
 */
public final class PemFiles {

  /** The largest PEM file read (a bundle of a few hundred CAs is well below). */
  public static final int MAX_BYTES = 4 * 1024 * 1024;
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private PemFiles() {}

  /** A file's bytes, or an {@link IllegalArgumentException} saying why it cannot be read. */
  public static byte[] read(String file) {
    Path p = Path.of(file);
    try {
      if (Files.isDirectory(p)) {
        throw new IllegalArgumentException(file + ": is a directory, not a PEM file");
      }
      if (Files.size(p) > MAX_BYTES) {
        throw new IllegalArgumentException(file + ": over " + MAX_BYTES + " bytes, not a PEM file");
      }
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(file + ": not readable (permission denied)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** The certificates of a PEM file (at least one), the leaf first; the problem names the file. */
  public static List<X509Certificate> certificates(byte[] pem, String file) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(pem, file)) {
        if (b.label.equals("CERTIFICATE") || b.label.equals("TRUSTED CERTIFICATE")) {
          certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + ": a CERTIFICATE block is not a valid X.509 certificate: "
          + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certs;
  }

  /**
   * Checks that a PEM file holds one unencrypted private key in a form Vert.x reads (PKCS#8 {@code PRIVATE KEY},
   * PKCS#1 {@code RSA PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}) and, when {@code cert} is given and the key can be
   * read here (PKCS#8 and PKCS#1), that it is the certificate's key.
   */
  public static void checkPrivateKey(byte[] pem, String file, X509Certificate cert) {
    Block key = null;
    for (Block b : blocks(pem, file)) {
      if (b.label.equals("ENCRYPTED PRIVATE KEY")) {
        throw new IllegalArgumentException(file + ": the private key is encrypted, which the tap cannot read; write it "
            + "unencrypted (openssl pkcs8 -topk8 -nocrypt) and protect the file instead");
      }
      if (b.label.endsWith("PRIVATE KEY")) {
        key = b;
        break;
      }
    }
    if (key == null) {
      throw new IllegalArgumentException(file + ": holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE "
          + "KEY or EC PRIVATE KEY)");
    }
    byte[] pkcs8 = switch (key.label) {
      case "PRIVATE KEY" -> key.der;
      case "RSA PRIVATE KEY" -> rsaPkcs1ToPkcs8(key.der);
      case "EC PRIVATE KEY" -> null; // SEC1: its curve is inside; Vert.x reads it, the match is checked at the handshake
      default -> throw new IllegalArgumentException(file + ": '" + key.label + "' is not a private key type the tap reads "
          + "(PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY)");
    };
    if (key.der.length == 0 || key.der[0] != 0x30) {
      throw new IllegalArgumentException(file + ": the " + key.label + " block is not a DER structure");
    }
    if (pkcs8 == null) {
      return;
    }
    PrivateKey pk = parse(pkcs8, file);
    if (cert != null && !matches(pk, cert)) {
      throw new IllegalArgumentException(file + ": the private key is not the key of the certificate "
          + cert.getSubjectX500Principal().getName());
    }
  }

  private static PrivateKey parse(byte[] pkcs8, String file) {
    for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException(file + ": the private key cannot be read (not RSA, EC or EdDSA in PKCS#8)");
  }

  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String alg = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448
    };
    try {
      byte[] data = "shadow-parity key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(data);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(data);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false; // a key of another algorithm than the certificate's
    }
  }

  /** PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as an OCTET STRING). */
  private static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    byte[] algId = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
        0x01, 0x01, 0x01, 0x05, 0x00};
    byte[] octet = der(0x04, pkcs1);
    byte[] body = new byte[algId.length + octet.length];
    System.arraycopy(algId, 0, body, 0, algId.length);
    System.arraycopy(octet, 0, body, algId.length, octet.length);
    return der(0x30, body);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] len = n < 0x80 ? new byte[] {(byte) n}
        : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
        : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
        : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    byte[] out = new byte[1 + len.length + n];
    out[0] = (byte) tag;
    System.arraycopy(len, 0, out, 1, len.length);
    System.arraycopy(content, 0, out, 1 + len.length, n);
    return out;
  }

  private record Block(String label, byte[] der) {}

  private static List<Block> blocks(byte[] pem, String file) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    List<Block> blocks = new ArrayList<>();
    while (m.find()) {
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": a " + m.group(1) + " block is not valid base64", e);
      }
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException(file + ": not a PEM file (no -----BEGIN ...----- / -----END ...----- block)");
    }
    return blocks;
  }
}
