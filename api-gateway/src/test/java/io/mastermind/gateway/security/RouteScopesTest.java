package io.mastermind.gateway.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Route scopes: read for GET, submit for tasks and the Nexus, admin for everything else that writes")
class RouteScopesTest {

  private final RouteScopes scopes = new RouteScopes("/api/v1/ws");

  @ParameterizedTest(name = "{0} {1} needs {2}")
  @CsvSource({
    "GET, /api/v1/tasks, READ",
    "GET, /api/v1/tasks/t-1, READ",
    "GET, /api/v1/nodes, READ",
    "GET, /api/v1/cluster, READ",
    "HEAD, /api/v1/tasks, READ",
    "POST, /api/v1/tasks, SUBMIT",
    "POST, /api/v1/tasks/, SUBMIT",
    "DELETE, /api/v1/tasks/t-1, SUBMIT",
    "POST, /api/v1/nexus/tasks, SUBMIT",
    "PUT, /api/v1/log-level, ADMIN",
    "POST, /api/v1/nodes, ADMIN",
    "DELETE, /api/v1/nodes/w-1, ADMIN",
    "POST, /api/v1/tasks/t-1, ADMIN",
    "PUT, /api/v1/tasks/t-1, ADMIN",
    "PATCH, /api/v1/tasks, ADMIN",
    "POST, /api/v1/anything-new, ADMIN",
    "DELETE, /api/v1/tasks, ADMIN",
    "post, /api/v1/tasks, SUBMIT",
  })
  void table(String method, String path, Scope scope) {
    assertThat(scopes.required(method, path)).contains(scope);
  }

  @Test
  @DisplayName("the WebSocket upgrade needs no scope: its operations are checked one by one")
  void webSocket() {
    assertThat(scopes.required("GET", "/api/v1/ws")).isEmpty();
    assertThat(scopes.required("POST", "/api/v1/ws")).contains(Scope.ADMIN);
  }
}
