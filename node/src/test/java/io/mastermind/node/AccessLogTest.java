package io.mastermind.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mastermind.gateway.AccessLogHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The optional HTTP access log of a real gateway: off by default; on, one line per request with its
 * method, path, query, status and size, and never a token (neither the Authorization header nor an
 * {@code access_token} query parameter).
 */
@DisplayName("http.accessLog: one line per request, off by default, never a token")
@Timeout(60)
class AccessLogTest {

  private static final String TOKEN = "t0psecret-token";
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLogHandler.LOGGER);

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  private List<String> logged() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  @DisplayName("on: each request is a line with method, path, query, status; tokens in the header or the query are not")
  void logsRequestsWithoutTokens() throws Exception {
    try (TestNode node = new TestNode(new JsonObject().put("apiTokens", new JsonArray().add(TOKEN))
      .put("http", new JsonObject().put("accessLog", true)))) {
      assertThat(node.send(HttpRequest.newBuilder(URI.create(node.url + "/api/v1/nodes?limit=5"))
        .header("Authorization", "Bearer " + TOKEN)).status()).isEqualTo(200);
      assertThat(node.get("/api/v1/tasks/nope?Access_Token=" + TOKEN + "&wait=1").status()).isEqualTo(401);
      assertThat(node.get("/api/v1/ws?x=1&access_token=" + TOKEN).status()).isGreaterThanOrEqualTo(400);

      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logged()).hasSize(3));
      List<String> logged = logged();
      assertThat(logged.get(0)).matches("127\\.0\\.0\\.1 \"GET /api/v1/nodes\\?limit=5\" 200 \\d+ B \\d+ ms");
      assertThat(logged.get(1)).contains("\"GET /api/v1/tasks/nope?Access_Token=***&wait=1\" 401");
      assertThat(logged.get(2)).contains("\"GET /api/v1/ws?x=1&access_token=***\" 4");
      assertThat(logged).noneMatch(line -> line.contains(TOKEN) || line.contains("Bearer"));
    }
  }

  @Test
  @DisplayName("off by default: no line")
  void offByDefault() throws Exception {
    assertThat(NodeSettings.of(null, null).gatewayOptions().isAccessLog()).isFalse();
    try (TestNode node = new TestNode()) {
      assertThat(node.get("/api/v1/nodes").status()).isEqualTo(200);
      assertThat(node.get("/api/v1/tasks/absent").status()).isEqualTo(404);
    }
    assertThat(logged()).isEmpty();
  }
}
