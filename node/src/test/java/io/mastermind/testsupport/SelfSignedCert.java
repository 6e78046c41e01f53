package io.mastermind.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's {@code keytool}
 * (no network): a PKCS#12 keystore, and the same certificate and key as PEM files. The certificate is its own
 * CA, so {@link #certPem} is what a client passes as its CA file.
 */
public final class SelfSignedCert {

  public static final String PASSWORD = "test-keystore-password";
  private static final String ALIAS = "gateway";

  public final Path keyStore;
  public final Path certPem;
  public final Path keyPem;

  private SelfSignedCert(Path keyStore, Path certPem, Path keyPem) {
    this.keyStore = keyStore;
    this.certPem = certPem;
    this.keyPem = keyPem;
  }

  /** Makes the files in {@code dir}. */
  public static SelfSignedCert create(Path dir) throws Exception {
    Path keyStore = dir.resolve("gateway.p12");
    Path certPem = dir.resolve("gateway-cert.pem");
    Path keyPem = dir.resolve("gateway-key.pem");
    keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
      "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
      "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
      "-file", certPem.toString());
    Files.writeString(keyPem, pemOfKey(keyStore));
    return new SelfSignedCert(keyStore, certPem, keyPem);
  }

  private static String pemOfKey(Path keyStore) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    Key key = store.getKey(ALIAS, PASSWORD.toCharArray()); // PKCS#8 encoded
    return "-----BEGIN PRIVATE KEY-----\n"
      + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
      + "\n-----END PRIVATE KEY-----\n";
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
