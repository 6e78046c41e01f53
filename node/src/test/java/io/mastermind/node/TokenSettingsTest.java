package io.mastermind.node;

import io.mastermind.gateway.security.ApiToken;
import io.mastermind.gateway.security.Scope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("API tokens from the config file and MASTERMIND_API_TOKENS, with scopes")
class TokenSettingsTest {

  @Test
  @DisplayName("MASTERMIND_API_TOKENS: comma-separated token or token:scope+scope, added to the file's tokens")
  void environment() {
    JsonObject file = new JsonObject().put("apiTokens", new JsonArray().add("file-token-0123456789"));
    List<ApiToken> tokens = NodeSettings.of(file, null,
      Map.of("MASTERMIND_API_TOKENS", "all-scopes-token, dash-token:read , ci-token:read+submit")).gatewayOptions().getApiTokens();
    assertThat(tokens).hasSize(4);
    assertThat(tokens.get(0).scopes()).isEqualTo(Scope.ALL);
    assertThat(tokens.get(1).scopes()).isEqualTo(Scope.ALL);
    assertThat(tokens.get(2).scopes()).containsExactly(Scope.READ);
    assertThat(tokens.get(3).scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.SUBMIT);
  }

  @Test
  @DisplayName("an empty entry, an unknown scope, or a \"\" / null token in the file stops the node with a message")
  void refused() {
    assertThatThrownBy(() -> NodeSettings.of(null, null, Map.of("MASTERMIND_API_TOKENS", "good-token,,other")))
      .hasMessageContaining("MASTERMIND_API_TOKENS entry 2").hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> NodeSettings.of(null, null, Map.of("MASTERMIND_API_TOKENS", "t0ken:read+sudo")))
      .hasMessageContaining("unknown scope 'sudo'");
    assertThatThrownBy(() -> NodeSettings.of(new JsonObject().put("apiTokens", new JsonArray().add("")), null, Map.of()))
      .hasMessageContaining("apiTokens[0]");
    assertThatThrownBy(() -> NodeSettings.of(new JsonObject().put("apiTokens", new JsonArray().addNull()), null, Map.of()))
      .hasMessageContaining("apiTokens[0]").hasMessageContaining("null");
    assertThat(NodeSettings.of(null, null, Map.of("MASTERMIND_API_TOKENS", " ")).gatewayOptions().getApiTokens())
      .as("an empty variable configures nothing").isEmpty();
  }
}
