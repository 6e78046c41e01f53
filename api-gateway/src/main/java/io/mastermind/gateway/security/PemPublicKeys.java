package io.mastermind.gateway.security;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JWT verification keys from PEM text, checked at start so that a wrong file is a config error instead
 * of every token being refused later: each {@code PUBLIC KEY} block (or {@code CERTIFICATE}, whose key is
 * taken) must hold an RSA key of at least 2048 bits (RS256) or an EC key on P-256 (ES256). Text around
 * the blocks is ignored; one text may hold several keys (e.g. the current and the next one of a rotation).
 */
public final class PemPublicKeys {

  /** RFC 7518 section 3.3: RS256 keys of 2048 bits or more. */
  public static final int MIN_RSA_BITS = 2048;

  /** A key and the algorithm tokens signed with it use, as a normalised PEM {@code PUBLIC KEY} block. */
  public record VerificationKey(String algorithm, String pem) {
  }

  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  /** The order of the P-256 group (FIPS 186-4 D.1.2.3), which tells P-256 from other 256-bit curves. */
  private static final BigInteger P256_ORDER =
    new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private PemPublicKeys() {
  }

  /**
   * @param where names the setting in messages, e.g. {@code http.jwt.publicKeys[0]}
   * @throws IllegalArgumentException naming {@code where} and what is wrong
   */
  public static List<VerificationKey> parse(String text, String where) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(where + ": empty; expected a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    List<String[]> blocks = new ArrayList<>();
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      blocks.add(new String[] {block.group(1), block.group(2)});
    }
    if (blocks.isEmpty()) {
      Matcher begin = BEGIN.matcher(text);
      throw new IllegalArgumentException(where + (begin.find()
        ? ": the PEM block " + begin.group() + " has no matching -----END " + begin.group(1) + "----- line"
        : ": not a PEM public key (expected -----BEGIN PUBLIC KEY-----; from DER: openssl pkey -pubin -inform DER -in KEY -out key.pem)"));
    }
    List<VerificationKey> keys = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      keys.add(key(blocks.get(i)[0], blocks.get(i)[1], blocks.size() == 1 ? where : where + " (PEM block " + (i + 1) + ")"));
    }
    return keys;
  }

  private static VerificationKey key(String label, String body, String where) {
    if (label.contains("PRIVATE")) {
      throw new IllegalArgumentException(where + ": is a private key; give the public one"
        + " (openssl pkey -in private.pem -pubout -out public.pem), and keep the private key with the token issuer");
    }
    if (label.equals("RSA PUBLIC KEY")) {
      throw new IllegalArgumentException(where + ": is a PKCS#1 RSA PUBLIC KEY; convert it to a PUBLIC KEY block"
        + " (openssl rsa -RSAPublicKey_in -in key.pem -pubout)");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body.replaceAll("\\s+", "")); // strict: a stray character is an error
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": the " + label + " block is not valid base64");
    }
    PublicKey key = switch (label) {
      case "PUBLIC KEY" -> publicKey(der, where);
      case "CERTIFICATE" -> certificateKey(der, where);
      default -> throw new IllegalArgumentException(where + ": a " + label + " block; expected PUBLIC KEY (or CERTIFICATE)");
    };
    return new VerificationKey(algorithm(key, where), pem(key.getEncoded()));
  }

  private static PublicKey publicKey(byte[] der, String where) {
    for (String family : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next family
      }
    }
    throw new IllegalArgumentException(where + ": not an RSA or EC public key (RS256 and ES256 are supported)");
  }

  private static PublicKey certificateKey(byte[] der, String where) {
    try {
      return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
    } catch (CertificateException | RuntimeException e) {
      throw new IllegalArgumentException(where + ": not a readable X.509 certificate");
    }
  }

  private static String algorithm(PublicKey key, String where) {
    if (key instanceof RSAPublicKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException(where + ": an RSA key of " + bits + " bits; RS256 needs at least " + MIN_RSA_BITS);
      }
      return "RS256";
    }
    if (key instanceof ECPublicKey ec) {
      if (!P256_ORDER.equals(ec.getParams().getOrder())) {
        throw new IllegalArgumentException(where + ": an EC key on a curve other than P-256; ES256 needs P-256 (prime256v1)");
      }
      return "ES256";
    }
    throw new IllegalArgumentException(where + ": a " + key.getAlgorithm() + " key; RS256 (RSA) and ES256 (EC P-256) are supported");
  }

  private static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
      + "\n-----END PUBLIC KEY-----\n";
  }
}
