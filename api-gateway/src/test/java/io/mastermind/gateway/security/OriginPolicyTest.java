package io.mastermind.gateway.security;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("OriginPolicy: Host (DNS rebinding) and Origin (cross-site requests) allow-lists")
class OriginPolicyTest {

  private final OriginPolicy tokensOff = new OriginPolicy(Set.of("127.0.0.1"), null, null, false);

  @Test
  @DisplayName("loopback names and addresses, in their usual spellings")
  void loopback() {
    for (String host : List.of("localhost", "LOCALHOST", "localhost.", "app.localhost", "127.0.0.1", "127.1.2.3", "::1",
      "[::1]", "0:0:0:0:0:0:0:1")) {
      assertThat(OriginPolicy.isLoopback(host)).as(host).isTrue();
    }
    for (String host : List.of("0.0.0.0", "10.0.0.1", "localhost.evil.example", "evil.example", "127.0.0.1.evil.example",
      "::", "::2", "128.0.0.1", "999.0.0.1")) {
      assertThat(OriginPolicy.isLoopback(host)).as(host).isFalse();
    }
    assertThat(OriginPolicy.isWildcard("0.0.0.0")).isTrue();
    assertThat(OriginPolicy.isWildcard("[::]")).isTrue();
    assertThat(OriginPolicy.isWildcard("127.0.0.1")).isFalse();
  }

  @Test
  @DisplayName("tokens off: a Host of a rebound name is refused; loopback names and our own address pass")
  void hostTokensOff() {
    assertThat(tokensOff.refuseHost("evil.example")).get().asString().contains("http.allowedHosts");
    assertThat(tokensOff.refuseHost("localhost")).isEmpty();
    assertThat(tokensOff.refuseHost("[::1]")).isEmpty();
    assertThat(tokensOff.refuseHost("127.0.0.1")).isEmpty();
    assertThat(tokensOff.refuseHost(null)).as("HTTP/1.0 without Host").isEmpty();
    OriginPolicy bound = new OriginPolicy(Set.of("10.0.0.11"), null, null, false);
    assertThat(bound.refuseHost("10.0.0.11")).isEmpty();
    assertThat(bound.refuseHost("10.0.0.12")).isPresent();
  }

  @Test
  @DisplayName("tokens on: the Host is not checked unless http.allowedHosts is set; then only those (or *) pass")
  void hostTokensOn() {
    assertThat(new OriginPolicy(Set.of(), null, null, true).refuseHost("mastermind.example.com")).isEmpty();
    OriginPolicy listed = new OriginPolicy(Set.of(), List.of("Mastermind.Example.com"), null, true);
    assertThat(listed.refuseHost("mastermind.example.com")).isEmpty();
    assertThat(listed.refuseHost("localhost")).as("an explicit list replaces the defaults").isPresent();
    assertThat(new OriginPolicy(Set.of(), List.of("*"), null, false).refuseHost("anything.example")).isEmpty();
  }

  @Test
  @DisplayName("no Origin (curl, the Java client, the CLI) passes; the gateway's own origin passes")
  void sameOrigin() {
    OriginPolicy policy = new OriginPolicy(Set.of(), null, List.of(), true);
    assertThat(policy.refuseOrigin(null, "gw.example", 8443)).isEmpty();
    assertThat(policy.refuseOrigin("https://gw.example:8443", "gw.example", 8443)).isEmpty();
    assertThat(policy.refuseOrigin("https://GW.example", "gw.example", -1)).isEmpty();
    assertThat(policy.refuseOrigin("http://gw.example:8080", "gw.example", 8443)).isPresent();
  }

  @Test
  @DisplayName("by default a page on loopback or on our host (any port) passes; another site, 'null' and odd schemes do not")
  void defaultOrigins() {
    assertThat(tokensOff.refuseOrigin("http://localhost:3000", "127.0.0.1", 8080)).isEmpty();
    assertThat(tokensOff.refuseOrigin("http://127.0.0.1:5000", "127.0.0.1", 8080)).isEmpty();
    assertThat(tokensOff.refuseOrigin("https://evil.example", "127.0.0.1", 8080)).get().asString()
      .contains("https://evil.example").contains("http.allowedOrigins");
    assertThat(tokensOff.refuseOrigin("null", "127.0.0.1", 8080)).isPresent();
    assertThat(tokensOff.refuseOrigin("file://", "127.0.0.1", 8080)).isPresent();
    assertThat(tokensOff.refuseOrigin("chrome-extension://abc", "127.0.0.1", 8080)).isPresent();
    assertThat(tokensOff.refuseOrigin("http://localhost.evil.example", "127.0.0.1", 8080)).isPresent();
  }

  @Test
  @DisplayName("http.allowedOrigins replaces the defaults with exact origins (default ports filled in), or * for any")
  void listedOrigins() {
    OriginPolicy listed = new OriginPolicy(Set.of(), null, List.of("https://dash.example.com", "http://tools.example:8000"), true);
    assertThat(listed.refuseOrigin("https://dash.example.com:443", "gw.example", 443)).isEmpty();
    assertThat(listed.refuseOrigin("http://tools.example:8000", "gw.example", 443)).isEmpty();
    assertThat(listed.refuseOrigin("http://dash.example.com", "gw.example", 443)).isPresent();
    assertThat(listed.refuseOrigin("http://localhost:3000", "gw.example", 443)).isPresent();
    assertThat(new OriginPolicy(Set.of(), null, List.of("*"), true).refuseOrigin("null", "gw.example", 443)).isEmpty();
    assertThatThrownBy(() -> new OriginPolicy(Set.of(), null, List.of("dash.example.com"), true))
      .hasMessageContaining("http.allowedOrigins").hasMessageContaining("scheme://host");
  }
}
