package org.kloaka.local.ttn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.kloaka.core.Explain;
import org.kloaka.local.StartupException;

/** TLS for the connection to The Things Stack: the JVM's trusted CAs, or a PEM file's. */
final class TtnTls {

  private TtnTls() {}

  /** The socket factory trusting {@code caFile}'s certificates, or the JVM's when it is null. */
  static SSLSocketFactory socketFactory(Path caFile) {
    try {
      if (caFile == null) {
        return SSLContext.getDefault().getSocketFactory();
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      Collection<? extends Certificate> certificates;
      try (InputStream in = Files.newInputStream(caFile)) {
        certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certificates.isEmpty()) {
        throw new StartupException("--ttn-ca " + caFile + " holds no PEM certificate");
      }
      int i = 0;
      for (Certificate certificate : certificates) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new StartupException("cannot read --ttn-ca " + caFile + ": " + Explain.io(e), e);
    } catch (GeneralSecurityException e) {
      throw new StartupException(
          "--ttn-ca " + caFile + " is not a PEM file of certificates that Java can use", e);
    }
  }

  /** A TLS failure in words, or null when {@code e} is not one. */
  static String explain(Throwable e) {
    boolean handshake = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return "the server's TLS certificate has expired";
      }
      if (t instanceof CertificateNotYetValidException) {
        return "the server's TLS certificate is not valid yet (check this machine's clock)";
      }
      if (t instanceof SSLHandshakeException) {
        handshake = true;
      }
      String message = String.valueOf(t.getMessage());
      if (message.contains("No subject alternative") || message.contains("No name matching")) {
        return "the server's TLS certificate is for another host name";
      }
    }
    return handshake
        ? "the TLS handshake failed: the server's certificate is not trusted (a private server"
            + " needs --ttn-ca) or it speaks no TLS"
        : null;
  }
}
