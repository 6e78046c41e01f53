package io.mastermind.gateway.security;

import java.util.Locale;
import java.util.Optional;

/**
 * The scope an HTTP request under {@code /api/} needs (SPEC section 10). Reading is {@code read};
 * submitting and cancelling tasks and the Nexus endpoint are {@code submit}; every other change (log
 * level, nodes, and any write to a path this table does not know) is {@code admin}, so that a route
 * added later is closed to narrow tokens until it is given a scope here.
 *
 * <p>Paths are matched after normalisation (dot segments resolved), the form the router routes on.
 */
public final class RouteScopes {

  private static final String TASKS = "/api/v1/tasks";
  private static final String NEXUS = "/api/v1/nexus/";

  private final String webSocketPath;

  /** @param webSocketPath the WebSocket endpoint, whose operations are checked one by one instead */
  public RouteScopes(String webSocketPath) {
    this.webSocketPath = webSocketPath;
  }

  /** The scope {@code method path} needs; empty for the WebSocket upgrade (any valid token opens it). */
  public Optional<Scope> required(String method, String path) {
    String verb = method.toUpperCase(Locale.ROOT);
    if (verb.equals("GET") && path.equals(webSocketPath)) {
      return Optional.empty();
    }
    return Optional.of(switch (verb) {
      case "GET", "HEAD", "OPTIONS" -> Scope.READ;
      case "POST" -> isTasks(path) || path.startsWith(NEXUS) ? Scope.SUBMIT : Scope.ADMIN;
      case "DELETE" -> path.startsWith(TASKS + "/") ? Scope.SUBMIT : Scope.ADMIN;
      default -> Scope.ADMIN;
    });
  }

  private static boolean isTasks(String path) {
    return path.equals(TASKS) || path.equals(TASKS + "/");
  }
}
