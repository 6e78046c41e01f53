package io.mastermind.testsupport;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A stand-in identity provider for tests: an RSA key pair made here (or an HMAC secret), and tokens
 * signed with it by vertx-auth-jwt's {@link JWTAuth#generateToken}. The gateway is given {@link #publicPem()}.
 */
public final class TestIssuer {

  private final JWTAuth signer;
  private final String algorithm;
  private final String publicPem;

  private TestIssuer(JWTAuth signer, String algorithm, String publicPem) {
    this.signer = signer;
    this.algorithm = algorithm;
    this.publicPem = publicPem;
  }

  /** A fresh 2048-bit RSA key pair; tokens are RS256. */
  public static TestIssuer rsa(Vertx vertx) {
    KeyPair pair = generate("RSA", 2048);
    return new TestIssuer(JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
      .setAlgorithm("RS256").setBuffer(pem("PRIVATE KEY", pair.getPrivate().getEncoded())))), "RS256",
      pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  /** Tokens HS256-signed with {@code secret}. */
  public static TestIssuer hmac(Vertx vertx, String secret) {
    return new TestIssuer(JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
      .setAlgorithm("HS256").setBuffer(secret))), "HS256", null);
  }

  /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}), for {@code http.jwt.publicKeys}. */
  public String publicPem() {
    return publicPem;
  }

  /**
   * A token with {@code claims} (copied), plus {@code iat}, and {@code exp} when {@code expiresInSeconds} is
   * above 0; {@code iss} and {@code aud} when not null.
   */
  public String sign(JsonObject claims, String issuer, String audience, int expiresInSeconds) {
    JWTOptions options = new JWTOptions().setAlgorithm(algorithm).setIssuer(issuer).setExpiresInSeconds(expiresInSeconds);
    if (audience != null) {
      options.addAudience(audience);
    }
    return signer.generateToken(claims.copy(), options);
  }

  public static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
      + "\n-----END " + label + "-----\n";
  }

  private static KeyPair generate(String algorithm, int size) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(size);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
