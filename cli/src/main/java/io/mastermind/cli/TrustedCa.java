package io.mastermind.cli;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * An SSL context that trusts the certificates of a PEM file ({@code --ca-file}): the CA that signed the
 * gateway's certificate, or a self-signed certificate itself. Host names are still verified against the
 * certificate.
 */
final class TrustedCa {

  private TrustedCa() {
  }

  /** @throws CliException (exit 2) when the file cannot be read or holds no certificate */
  static SSLContext sslContext(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new CliException(2, "--ca-file " + caFile + " holds no certificate (PEM expected)");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new CliException(2, "--ca-file: cannot read " + caFile + ": " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new CliException(2, "--ca-file " + caFile + " is not a PEM certificate: " + e.getMessage());
    }
  }
}
