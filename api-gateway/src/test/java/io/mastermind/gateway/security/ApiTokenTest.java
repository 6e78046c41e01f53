package io.mastermind.gateway.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("API tokens: scopes, environment entries, refusals of empty tokens, constant-time lookup")
class ApiTokenTest {

  @Test
  @DisplayName("scopes parse case-insensitively by their wire names; anything else is refused naming the setting")
  void scopes() {
    assertThat(Scope.parse("READ", "x")).isEqualTo(Scope.READ);
    assertThat(Scope.parse(" submit ", "x")).isEqualTo(Scope.SUBMIT);
    assertThat(Scope.ALL).containsExactlyInAnyOrder(Scope.READ, Scope.SUBMIT, Scope.ADMIN);
    assertThatThrownBy(() -> Scope.parse("write", "apiTokens[0].scopes"))
      .hasMessageContaining("apiTokens[0].scopes").hasMessageContaining("read, submit, admin");
  }

  @Test
  @DisplayName("an empty, blank or null token is refused at start (it would let in whoever sends an empty token)")
  void emptyRefused() {
    for (String secret : new String[] {null, "", "   "}) {
      assertThatThrownBy(() -> new ApiToken(secret, Scope.ALL, null, "apiTokens[3]"))
        .hasMessageContaining("apiTokens[3]").hasMessageContaining("must not be empty or null");
    }
    assertThatThrownBy(() -> new ApiToken(" padded ", Scope.ALL, null, "t")).hasMessageContaining("white space");
    assertThatThrownBy(() -> new ApiToken("secret-1", Set.of(), null, "t")).hasMessageContaining("at least one");
  }

  @Test
  @DisplayName("MASTERMIND_API_TOKENS entries: token (every scope) or token:scope+scope")
  void envEntries() {
    assertThat(ApiToken.parseEnvEntry("abc", "e").scopes()).isEqualTo(Scope.ALL);
    ApiToken.EnvEntry scoped = ApiToken.parseEnvEntry(" ci-token:read+submit ", "e");
    assertThat(scoped.secret()).isEqualTo("ci-token");
    assertThat(scoped.scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.SUBMIT);
    assertThat(scoped.toString()).doesNotContain("ci-token");
    assertThatThrownBy(() -> ApiToken.parseEnvEntry("", "MASTERMIND_API_TOKENS entry 2"))
      .hasMessageContaining("MASTERMIND_API_TOKENS entry 2");
    assertThatThrownBy(() -> ApiToken.parseEnvEntry(":read", "e")).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> ApiToken.parseEnvEntry("t:read+root", "e")).hasMessageContaining("unknown scope 'root'");
    assertThatThrownBy(() -> ApiToken.parseEnvEntry("t:", "e")).hasMessageContaining("unknown scope ''");
  }

  @Test
  @DisplayName("a token is shown by its name or a hash prefix, never by its secret")
  void ids() {
    ApiToken unnamed = new ApiToken("super-secret-value", Scope.ALL, null, "t");
    assertThat(unnamed.id()).matches("token-[0-9a-f]{8}");
    assertThat(unnamed.toString()).doesNotContain("super-secret-value");
    assertThat(new ApiToken("super-secret-value", EnumSet.of(Scope.READ), "dashboard", "t").id()).isEqualTo("dashboard");
    assertThatThrownBy(() -> new ApiToken("s", Scope.ALL, "has space", "t")).hasMessageContaining("name");
  }

  @Test
  @DisplayName("the book finds the token presented, nothing for a prefix, a longer string or none; duplicates are refused")
  void book() {
    ApiToken reader = new ApiToken("reader-token", EnumSet.of(Scope.READ), null, "a");
    ApiToken admin = new ApiToken("admin-token", EnumSet.of(Scope.ADMIN), null, "b");
    TokenBook book = new TokenBook(List.of(reader, admin));
    assertThat(book.find("reader-token")).containsSame(reader);
    assertThat(book.find("admin-token")).containsSame(admin);
    assertThat(book.find("reader-toke")).isEmpty();
    assertThat(book.find("reader-token2")).isEmpty();
    assertThat(book.find("")).isEmpty();
    assertThat(book.find(null)).isEmpty();
    assertThat(new TokenBook(List.of()).isEmpty()).isTrue();
    assertThatThrownBy(() -> new TokenBook(List.of(reader, new ApiToken("reader-token", Scope.ALL, null, "c"))))
      .hasMessageContaining("same token");
  }

  @Test
  @DisplayName("a caller holds its token's scopes; with tokens off, an address holds every scope")
  void callers() {
    Caller reader = Caller.of(new ApiToken("reader-token", EnumSet.of(Scope.READ), "r", "a"));
    assertThat(reader.has(Scope.READ)).isTrue();
    assertThat(reader.has(Scope.SUBMIT)).isFalse();
    assertThat(reader.rateKey()).isEqualTo("token:r");
    Caller anonymous = Caller.anonymous("10.0.0.7");
    assertThat(anonymous.scopes()).isEqualTo(Scope.ALL);
    assertThat(anonymous.rateKey()).isEqualTo("address:10.0.0.7");
  }
}
