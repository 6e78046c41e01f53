package io.mastermind.cluster;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code cluster.tls} section: mutual TLS on the event bus between nodes. Each node presents its
 * own certificate and accepts a peer only when that peer's certificate is signed by the configured
 * CA ({@code clientAuth} required both ways), so a process without a certificate from that CA cannot
 * open an event-bus connection to any node, nor accept one. {@code scripts/dev-certs.sh} makes a CA
 * and node certificates for trying it out.
 *
 * <p>Key material: a key store ({@code keyStorePath}, PKCS#12 unless it ends in {@code .jks}, with
 * {@code keyStorePassword}) or PEM files ({@code certPath} and {@code keyPath}, PKCS#8), named as the
 * gateway's {@code http.tls} names them. Trust: a trust store ({@code trustStorePath},
 * {@code trustStorePassword}) or a PEM CA file ({@code caPath}). TLS is on
 * when the section names any of them; then both a key and a trust source are required.
 *
 * <p>What it does not cover: Hazelcast's own member connections (open-source Hazelcast has no TLS);
 * see docs/security.md. Vert.x skips host name verification on the event bus, so the CA
 * is what decides: use a CA of its own for the cluster, not a public one.
 */
public final class ClusterTlsOptions {

  private String keyStore;
  private String keyStorePassword;
  private String trustStore;
  private String trustStorePassword;
  private String certPath;
  private String keyPath;
  private String caPath;

  public ClusterTlsOptions() {
  }

  public ClusterTlsOptions(JsonObject json) {
    keyStore = json.getString("keyStorePath");
    keyStorePassword = json.getString("keyStorePassword");
    trustStore = json.getString("trustStorePath");
    trustStorePassword = json.getString("trustStorePassword");
    certPath = json.getString("certPath");
    keyPath = json.getString("keyPath");
    caPath = json.getString("caPath");
  }

  /** True when the section asks for TLS (it names any key or trust material). */
  public boolean isEnabled() {
    return keyStore != null || trustStore != null || certPath != null || keyPath != null || caPath != null;
  }

  /** Throws IllegalArgumentException naming the setting when TLS is asked for but incomplete or a file is missing. */
  public void validate() {
    if (!isEnabled()) {
      return;
    }
    if (keyStore != null && (certPath != null || keyPath != null)) {
      throw new IllegalArgumentException("cluster.tls: set keyStorePath or certPath/keyPath, not both");
    }
    if (keyStore == null && (certPath == null || keyPath == null)) {
      throw new IllegalArgumentException("cluster.tls needs this node's key: keyStorePath (with keyStorePassword), or certPath and keyPath");
    }
    if (trustStore != null && caPath != null) {
      throw new IllegalArgumentException("cluster.tls: set trustStorePath or caPath, not both");
    }
    if (trustStore == null && caPath == null) {
      throw new IllegalArgumentException("cluster.tls needs the cluster CA: trustStorePath (with trustStorePassword) or caPath");
    }
    requireFile("cluster.tls.keyStorePath", keyStore);
    requireFile("cluster.tls.trustStorePath", trustStore);
    requireFile("cluster.tls.certPath", certPath);
    requireFile("cluster.tls.keyPath", keyPath);
    requireFile("cluster.tls.caPath", caPath);
  }

  private static void requireFile(String setting, String path) {
    if (path != null && !Files.isReadable(Path.of(path))) {
      throw new IllegalArgumentException(setting + ": cannot read " + path);
    }
  }

  /** Turns on TLS with client authentication required on {@code options}, when enabled. */
  public EventBusOptions applyTo(EventBusOptions options) {
    if (!isEnabled()) {
      return options;
    }
    validate();
    return options.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setKeyCertOptions(keyCert()).setTrustOptions(trust());
  }

  private KeyCertOptions keyCert() {
    if (keyStore == null) {
      return new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath);
    }
    return isJks(keyStore) ? new JksOptions().setPath(keyStore).setPassword(keyStorePassword)
      : new PfxOptions().setPath(keyStore).setPassword(keyStorePassword);
  }

  private TrustOptions trust() {
    if (trustStore == null) {
      return new PemTrustOptions().addCertPath(caPath);
    }
    return isJks(trustStore) ? new JksOptions().setPath(trustStore).setPassword(trustStorePassword)
      : new PfxOptions().setPath(trustStore).setPassword(trustStorePassword);
  }

  private static boolean isJks(String path) {
    return path.toLowerCase(Locale.ROOT).endsWith(".jks");
  }

  /** The section, passwords masked. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    putIf(json, "keyStorePath", keyStore);
    putIf(json, "keyStorePassword", keyStorePassword == null ? null : "***");
    putIf(json, "trustStorePath", trustStore);
    putIf(json, "trustStorePassword", trustStorePassword == null ? null : "***");
    putIf(json, "certPath", certPath);
    putIf(json, "keyPath", keyPath);
    putIf(json, "caPath", caPath);
    return json;
  }

  private static void putIf(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
