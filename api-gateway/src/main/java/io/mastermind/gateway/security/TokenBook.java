package io.mastermind.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The configured tokens. Looking one up compares the presented token with every configured one in
 * constant time (no early exit), so neither which token matched nor how much of a prefix did shows in
 * the response time.
 */
public final class TokenBook {

  private final List<ApiToken> tokens;

  /** @throws IllegalArgumentException when two entries hold the same secret */
  public TokenBook(List<ApiToken> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (tokens.get(i).sameSecret(tokens.get(j))) {
          throw new IllegalArgumentException("apiTokens: " + tokens.get(i).id() + " and " + tokens.get(j).id()
            + " are the same token; list each token once, with all its scopes");
        }
      }
    }
    this.tokens = List.copyOf(tokens);
  }

  /** No tokens configured: authentication is off. */
  public boolean isEmpty() {
    return tokens.isEmpty();
  }

  public List<ApiToken> tokens() {
    return tokens;
  }

  public Optional<ApiToken> find(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] given = presented.getBytes(StandardCharsets.UTF_8);
    ApiToken found = null;
    for (ApiToken token : tokens) {
      if (token.matches(given) && found == null) {
        found = token;
      }
    }
    return Optional.ofNullable(found);
  }
}
