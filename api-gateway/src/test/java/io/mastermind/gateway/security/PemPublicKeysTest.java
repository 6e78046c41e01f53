package io.mastermind.gateway.security;

import io.mastermind.gateway.security.PemPublicKeys.VerificationKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("PEM verification keys: RSA 2048+ (RS256) and EC P-256 (ES256), everything else refused with the fix")
class PemPublicKeysTest {

  static KeyPair rsa;
  static KeyPair ec;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
    rsaGenerator.initialize(2048);
    rsa = rsaGenerator.generateKeyPair();
    ec = ecKey("secp256r1");
  }

  static KeyPair ecKey(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
      + "\n-----END " + label + "-----\n";
  }

  @Test
  @DisplayName("an RSA key is RS256, an EC P-256 key ES256; the PEM is normalised; text around the block is ignored")
  void accepted() {
    List<VerificationKey> keys = PemPublicKeys.parse("# the IdP's key\n  " + pem("PUBLIC KEY", rsa.getPublic().getEncoded()) + "\n", "k");
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0).algorithm()).isEqualTo("RS256");
    assertThat(keys.get(0).pem()).isEqualTo(pem("PUBLIC KEY", rsa.getPublic().getEncoded()));
    assertThat(PemPublicKeys.parse(pem("PUBLIC KEY", ec.getPublic().getEncoded()), "k"))
      .extracting(VerificationKey::algorithm).containsExactly("ES256");
    String crlf = pem("PUBLIC KEY", rsa.getPublic().getEncoded()).replace("\n", "\r\n");
    assertThat(PemPublicKeys.parse(crlf, "k")).hasSize(1);
  }

  @Test
  @DisplayName("one text may hold several keys (a rotation): each is read; a bad one is named by its block")
  void severalBlocks() {
    String two = pem("PUBLIC KEY", rsa.getPublic().getEncoded()) + pem("PUBLIC KEY", ec.getPublic().getEncoded());
    assertThat(PemPublicKeys.parse(two, "k")).extracting(VerificationKey::algorithm).containsExactly("RS256", "ES256");
    String withPrivate = two + pem("PRIVATE KEY", rsa.getPrivate().getEncoded());
    assertThatThrownBy(() -> PemPublicKeys.parse(withPrivate, "http.jwt.publicKeys[0]"))
      .hasMessageContaining("http.jwt.publicKeys[0] (PEM block 3)").hasMessageContaining("private key");
  }

  @Test
  @DisplayName("a private key, a PKCS#1 key, garbage, a missing END line, bad base64: refused, saying what to do")
  void refused() {
    assertThatThrownBy(() -> PemPublicKeys.parse(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()), "k"))
      .hasMessageContaining("k: is a private key").hasMessageContaining("-pubout");
    assertThatThrownBy(() -> PemPublicKeys.parse(pem("RSA PUBLIC KEY", new byte[] {1, 2, 3}), "k"))
      .hasMessageContaining("PKCS#1");
    assertThatThrownBy(() -> PemPublicKeys.parse("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", "k"))
      .hasMessageContaining("not a PEM public key");
    assertThatThrownBy(() -> PemPublicKeys.parse(" ", "k")).hasMessageContaining("empty");
    assertThatThrownBy(() -> PemPublicKeys.parse("-----BEGIN PUBLIC KEY-----\nMIIB\n", "k"))
      .hasMessageContaining("no matching -----END PUBLIC KEY-----");
    assertThatThrownBy(() -> PemPublicKeys.parse("-----BEGIN PUBLIC KEY-----\n!!!not base64!!!\n-----END PUBLIC KEY-----", "k"))
      .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> PemPublicKeys.parse(pem("PUBLIC KEY", new byte[] {48, 3, 2, 1, 0}), "k"))
      .hasMessageContaining("not an RSA or EC public key");
    assertThatThrownBy(() -> PemPublicKeys.parse(pem("CERTIFICATE", new byte[] {48, 3, 2, 1, 0}), "k"))
      .hasMessageContaining("not a readable X.509 certificate");
    assertThatThrownBy(() -> PemPublicKeys.parse(pem("ENCRYPTED STUFF", new byte[] {1}), "k"))
      .hasMessageContaining("expected PUBLIC KEY");
  }

  @Test
  @DisplayName("weak or unsupported keys: RSA under 2048 bits, EC curves other than P-256, Ed25519")
  void unsupported() throws Exception {
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    assertThatThrownBy(() -> PemPublicKeys.parse(pem("PUBLIC KEY", small.generateKeyPair().getPublic().getEncoded()), "k"))
      .hasMessageContaining("1024 bits").hasMessageContaining("2048");
    byte[] p384 = ecKey("secp384r1").getPublic().getEncoded();
    assertThatThrownBy(() -> PemPublicKeys.parse(pem("PUBLIC KEY", p384), "k")).hasMessageContaining("P-256");
    byte[] ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    assertThatThrownBy(() -> PemPublicKeys.parse(pem("PUBLIC KEY", ed25519), "k"))
      .hasMessageContaining("not an RSA or EC public key");
  }
}
