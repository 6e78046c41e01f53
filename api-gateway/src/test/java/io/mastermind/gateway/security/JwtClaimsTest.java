package io.mastermind.gateway.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("JWT claims: the scope claim mapped to read/submit/admin, the caller's name, the JWT shape")
class JwtClaimsTest {

  @Test
  @DisplayName("a space-separated string, as OAuth 2 issues it")
  void spaceSeparated() {
    assertThat(JwtClaims.scopes("read")).containsExactly(Scope.READ);
    assertThat(JwtClaims.scopes("read submit")).containsExactlyInAnyOrder(Scope.READ, Scope.SUBMIT);
    assertThat(JwtClaims.scopes("  admin\tread  submit\n")).isEqualTo(Scope.ALL);
    assertThat(JwtClaims.scopes("read read")).containsExactly(Scope.READ);
  }

  @Test
  @DisplayName("a JSON array of strings; entries that are not strings are skipped")
  void array() {
    assertThat(JwtClaims.scopes(List.of("submit", "admin"))).containsExactlyInAnyOrder(Scope.SUBMIT, Scope.ADMIN);
    assertThat(JwtClaims.scopes(java.util.Arrays.asList("read", 42, null, Map.of("x", 1)))).containsExactly(Scope.READ);
  }

  @Test
  @DisplayName("unknown scope strings are ignored: other services' scopes, other spellings, prefixes")
  void unknownIgnored() {
    assertThat(JwtClaims.scopes("openid profile read email")).containsExactly(Scope.READ);
    assertThat(JwtClaims.scopes("READ Submit api:admin read:tasks")).isEmpty();
    assertThat(JwtClaims.scopes("")).isEmpty();
    assertThat(JwtClaims.scopes(List.of())).isEmpty();
  }

  @Test
  @DisplayName("a missing claim, or one of another type, grants nothing")
  void nothing() {
    assertThat(JwtClaims.scopes((Object) null)).isEmpty();
    assertThat(JwtClaims.scopes(7)).isEmpty();
    assertThat(JwtClaims.scopes(true)).isEmpty();
    assertThat(JwtClaims.scopes(Map.of("read", true))).isEmpty();
  }

  @Test
  @DisplayName("the configured claim first, else scp; a configured claim that is present wins even when it grants nothing")
  void whichClaim() {
    assertThat(JwtClaims.scopes(Map.of("scope", "read"), "scope")).containsExactly(Scope.READ);
    assertThat(JwtClaims.scopes(Map.of("scp", List.of("submit")), "scope")).containsExactly(Scope.SUBMIT);
    assertThat(JwtClaims.scopes(Map.of("scope", "openid", "scp", "admin"), "scope")).isEmpty();
    assertThat(JwtClaims.scopes(Map.of("roles", "admin read", "scope", "submit"), "roles"))
      .containsExactlyInAnyOrder(Scope.ADMIN, Scope.READ);
    assertThat(JwtClaims.scopes(Map.of("scp", "read"), "roles")).as("scp when the configured claim is absent")
      .containsExactly(Scope.READ);
    assertThat(JwtClaims.scopes(Map.of("scp", "read"), "scp")).containsExactly(Scope.READ);
    Map<String, Object> nullClaim = new HashMap<>();
    nullClaim.put("scope", null);
    nullClaim.put("scp", "read");
    assertThat(JwtClaims.scopes(nullClaim, "scope")).as("a null claim counts as absent").containsExactly(Scope.READ);
    assertThat(JwtClaims.scopes(Map.of(), "scope")).isEmpty();
  }

  @Test
  @DisplayName("the result is immutable")
  void immutable() {
    Set<Scope> scopes = JwtClaims.scopes("read");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> scopes.add(Scope.ADMIN))
      .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("the caller is jwt:SUBJECT, made safe for logs; without a subject, a digest of the token, never the token")
  void callerId() {
    assertThat(JwtClaims.callerId("alice@example.com", "a.b.c")).isEqualTo("jwt:alice@example.com");
    assertThat(JwtClaims.callerId("evil\nlog line\u0000", "a.b.c")).isEqualTo("jwt:evil_log_line_");
    assertThat(JwtClaims.callerId("x".repeat(200), "a.b.c")).hasSize(4 + 64);
    String token = "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6InJlYWQifQ.c2ln";
    assertThat(JwtClaims.callerId(null, token)).matches("jwt-[0-9a-f]{8}").doesNotContain(token);
    assertThat(JwtClaims.callerId(42, token)).isEqualTo(JwtClaims.callerId(null, token));
    assertThat(JwtClaims.callerId(" ", token)).isEqualTo(JwtClaims.callerId(null, token));
  }

  @Test
  @DisplayName("looks like a JWT: three non-empty base64url parts, nothing else")
  void shape() {
    assertThat(JwtClaims.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.abc-_09")).isTrue();
    assertThat(JwtClaims.looksLikeJwt("static-token-0123456789")).isFalse();
    assertThat(JwtClaims.looksLikeJwt("a.b")).isFalse();
    assertThat(JwtClaims.looksLikeJwt("a.b.c.d")).isFalse();
    assertThat(JwtClaims.looksLikeJwt("a..c")).isFalse();
    assertThat(JwtClaims.looksLikeJwt("a.b.c=")).as("no padding in JWS compact form").isFalse();
    assertThat(JwtClaims.looksLikeJwt("a.b+/.c")).isFalse();
    assertThat(JwtClaims.looksLikeJwt("")).isFalse();
    assertThat(JwtClaims.looksLikeJwt(null)).isFalse();
  }
}
