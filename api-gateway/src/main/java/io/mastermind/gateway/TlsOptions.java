package io.mastermind.gateway;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HTTPS for the gateway: the {@code http.tls} section. TLS is on when a certificate is given, either as
 * PEM files ({@code certPath} with the chain, {@code keyPath} with the PKCS#8 key) or as a PKCS#12
 * keystore ({@code keyStorePath}, {@code keyStorePassword}). With TLS on, HTTP/2 is offered by ALPN
 * unless {@code http2} is false; HTTP/1.1 stays available (WebSocket and SockJS use it).
 */
public final class TlsOptions {

  public static final boolean DEFAULT_HTTP2 = true;

  private static final String CERT_PATH = "certPath";
  private static final String KEY_PATH = "keyPath";
  private static final String KEY_STORE_PATH = "keyStorePath";
  private static final String KEY_STORE_PASSWORD = "keyStorePassword";
  private static final String HTTP2 = "http2";

  private String certPath;
  private String keyPath;
  private String keyStorePath;
  private String keyStorePassword;
  private boolean http2 = DEFAULT_HTTP2;

  public TlsOptions() {
  }

  /** From the {@code http.tls} section; checks that the files named exist. */
  public TlsOptions(JsonObject json) {
    certPath = json.getString(CERT_PATH);
    keyPath = json.getString(KEY_PATH);
    keyStorePath = json.getString(KEY_STORE_PATH);
    keyStorePassword = json.getString(KEY_STORE_PASSWORD);
    http2 = json.getBoolean(HTTP2, DEFAULT_HTTP2);
    validate();
  }

  /** The password is never shown. */
  public JsonObject toJson() {
    return new JsonObject().put(CERT_PATH, certPath).put(KEY_PATH, keyPath).put(KEY_STORE_PATH, keyStorePath)
      .put(KEY_STORE_PASSWORD, keyStorePassword == null ? null : "***").put(HTTP2, http2);
  }

  /** A certificate is configured. */
  public boolean isEnabled() {
    return certPath != null || keyStorePath != null;
  }

  /** PEM certificate chain and private key. */
  public TlsOptions setPem(String certPath, String keyPath) {
    this.certPath = certPath;
    this.keyPath = keyPath;
    validate();
    return this;
  }

  /** A PKCS#12 keystore holding the key and its chain. */
  public TlsOptions setKeyStore(String keyStorePath, String keyStorePassword) {
    this.keyStorePath = keyStorePath;
    this.keyStorePassword = keyStorePassword;
    validate();
    return this;
  }

  public boolean isHttp2() {
    return http2;
  }

  public TlsOptions setHttp2(boolean http2) {
    this.http2 = http2;
    return this;
  }

  /** Turns TLS on in {@code server} when a certificate is configured; leaves it alone otherwise. */
  HttpServerOptions applyTo(HttpServerOptions server) {
    if (!isEnabled()) {
      return server;
    }
    server.setSsl(true).setKeyCertOptions(certPath != null
      ? new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath)
      : new PfxOptions().setPath(keyStorePath).setPassword(keyStorePassword));
    if (http2) {
      server.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    }
    return server;
  }

  private void validate() {
    if ((certPath == null) != (keyPath == null)) {
      throw new IllegalArgumentException("http.tls: certPath and keyPath go together (PEM certificate chain and private key)");
    }
    if (certPath != null && keyStorePath != null) {
      throw new IllegalArgumentException("http.tls: give either certPath/keyPath (PEM) or keyStorePath (PKCS#12), not both");
    }
    if (keyStorePath == null && keyStorePassword != null) {
      throw new IllegalArgumentException("http.tls: keyStorePassword without keyStorePath");
    }
    requireFile(CERT_PATH, certPath);
    requireFile(KEY_PATH, keyPath);
    requireFile(KEY_STORE_PATH, keyStorePath);
  }

  private static void requireFile(String key, String path) {
    if (path != null && !Files.isReadable(Path.of(path))) {
      throw new IllegalArgumentException("http.tls." + key + ": cannot read " + path);
    }
  }
}
