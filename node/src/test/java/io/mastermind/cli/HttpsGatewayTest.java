package io.mastermind.cli;

import io.mastermind.api.DistributedSystem;
import io.mastermind.api.DistributedSystemException;
import io.mastermind.api.DistributedSystemOptions;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.testsupport.GatewayNode;
import io.mastermind.testsupport.SelfSignedCert;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.mastermind.cli.CliCommandsTest.mastermindAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@DisplayName("An HTTPS gateway with tokens (keystore or PEM): HTTP/2 over TLS, the CLI and the Java client with a CA file")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpsGatewayTest {

  static final String TOKEN = "tls-token-0123456789abcdef";

  @TempDir
  static Path dir;
  static SelfSignedCert cert;
  static GatewayNode gateway;

  @BeforeAll
  static void start() throws Exception {
    cert = SelfSignedCert.create(dir);
    gateway = new GatewayNode(new JsonObject().put("nodeId", "tls-node").put("apiTokens", new JsonArray().add(TOKEN))
      .put("http", new JsonObject().put("tls", new JsonObject()
        .put("keyStorePath", cert.keyStore.toString()).put("keyStorePassword", SelfSignedCert.PASSWORD))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  static HttpResponse<String> get(String url, String token) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(cert.certPem)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("the gateway says https, negotiates HTTP/2 by ALPN, and still wants the token")
  void https() throws Exception {
    assertThat(gateway.url).startsWith("https://127.0.0.1:");
    HttpResponse<String> cluster = get(gateway.url + "/api/v1/cluster", TOKEN);
    assertThat(cluster.statusCode()).isEqualTo(200);
    assertThat(cluster.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(get(gateway.url + "/api/v1/cluster", null).statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("the CLI with --ca-file submits over HTTPS and follows the task over wss to its result")
  void cli() {
    CliCommandsTest.Run run = mastermindAt(gateway.url, "submit", "--wait", "--token", TOKEN,
      "--ca-file", cert.certPem.toString(),
      "--task", "{\"type\":\"compute\",\"payload\":{\"function\":\"primes\",\"data\":{\"upTo\":1000}}}");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.json().getString("status")).isEqualTo("succeeded");
    assertThat(run.json().getJsonObject("result").getInteger("count")).isEqualTo(168);
    CliCommandsTest.Run nodes = mastermindAt(gateway.url, "nodes", "--token", TOKEN, "--ca-file", cert.certPem.toString());
    assertThat(nodes.exit()).as(nodes.err()).isZero();
    assertThat(nodes.out()).contains("tls-node");
  }

  @Test
  @DisplayName("the CLI's watch follows live events over wss")
  void cliWatch() throws Exception {
    CompletableFuture<CliCommandsTest.Run> watching = CompletableFuture.supplyAsync(() -> mastermindAt(gateway.url,
      "watch", "task:completed", "--count", "1", "--token", TOKEN, "--ca-file", cert.certPem.toString()));
    // submit until the watcher, once subscribed, has seen a completion
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpClient client = HttpClient.newBuilder().sslContext(TrustedCa.sslContext(cert.certPem)).build();
      client.send(HttpRequest.newBuilder(URI.create(gateway.url + "/api/v1/tasks")).header("Authorization", "Bearer " + TOKEN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"compute\",\"payload\":{\"function\":\"echo\"}}")).build(),
        HttpResponse.BodyHandlers.discarding());
      return watching.isDone();
    });
    CliCommandsTest.Run run = watching.get(10, TimeUnit.SECONDS);
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(new JsonObject(run.out().trim()).getString("event")).isEqualTo("task:completed");
  }

  @Test
  @DisplayName("the CLI without the CA refuses the unknown certificate and says how to fix it")
  void cliWithoutCa() {
    CliCommandsTest.Run run = mastermindAt(gateway.url, "nodes", "--token", TOKEN);
    assertThat(run.exit()).isEqualTo(ClientOptions.EXIT_REFUSED);
    assertThat(run.err()).contains("TLS").contains("--ca-file");
    CliCommandsTest.Run bad = mastermindAt(gateway.url, "nodes", "--token", TOKEN, "--ca-file", dir.resolve("none.pem").toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--ca-file");
  }

  @Test
  @DisplayName("the Java client with caFile runs a task over HTTPS and receives its events over wss")
  void javaClient() throws Exception {
    DistributedSystem system = DistributedSystem.remote(gateway.url, TOKEN,
      new DistributedSystemOptions().setCaFile(cert.certPem.toString()));
    List<JsonObject> completed = new CopyOnWriteArrayList<>();
    try {
      system.subscribe("task:completed", completed::add);
      system.initialize().await(20, TimeUnit.SECONDS);
      JsonObject record = system.executeTask(new JsonObject().put("type", "compute")
        .put("payload", new JsonObject().put("function", "echo").put("data", new JsonObject().put("over", "tls"))))
        .await(20, TimeUnit.SECONDS);
      assertThat(record.getString("status")).isEqualTo("succeeded");
      await().atMost(Duration.ofSeconds(10)).until(() -> completed.stream()
        .anyMatch(e -> record.getString("id").equals(e.getString("taskId"))));
    } finally {
      system.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("the Java client without the CA cannot connect: the certificate is not trusted")
  void javaClientWithoutCa() throws Exception {
    DistributedSystem system = DistributedSystem.remote(gateway.url, TOKEN);
    try {
      assertThatThrownBy(() -> system.initialize().await(20, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(DistributedSystemException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    } finally {
      system.close().await(10, TimeUnit.SECONDS);
    }
    assertThatThrownBy(() -> new DistributedSystemOptions().setCaFile(dir.resolve("missing.pem").toString()))
      .hasMessageContaining("caFile");
  }

  @Test
  @DisplayName("PEM certificate and key work the same as the keystore")
  void pem() throws Exception {
    try (GatewayNode pem = new GatewayNode(new JsonObject().put("nodeId", "pem-node").put("apiTokens", new JsonArray().add(TOKEN))
      .put("http", new JsonObject().put("tls", new JsonObject()
        .put("certPath", cert.certPem.toString()).put("keyPath", cert.keyPem.toString()))))) {
      HttpResponse<String> nodes = get(pem.url + "/api/v1/nodes", TOKEN);
      assertThat(nodes.statusCode()).isEqualTo(200);
      assertThat(nodes.body()).contains("pem-node");
    }
  }
}
