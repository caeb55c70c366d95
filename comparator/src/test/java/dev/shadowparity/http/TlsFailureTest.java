package dev.shadowparity.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shadowparity.engine.BackendFailure;
import java.io.IOException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Which failures are TLS's: a failed handshake is, the connection going away after it is not. */
class TlsFailureTest {

  @Test
  void aHandshakeFailure_isTls_anSslExceptionAfterTheHandshake_isNot() {
    SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
    assertThat(TlsFailure.reason(new IOException("wrapped", handshake))).startsWith("handshake failure");
    assertThat(BufferedCall.failureKind(new IOException("wrapped", handshake))).isEqualTo(BackendFailure.Kind.TLS);
    // an engine closed under a pooled keep-alive connection (close_notify race): a reset, as over plain TCP
    SSLException closed = new SSLException("SSLEngine closed already");
    assertThat(TlsFailure.reason(closed)).isNull();
    assertThat(BufferedCall.failureKind(new IOException("connection", closed))).isNotEqualTo(BackendFailure.Kind.TLS);
  }
}
