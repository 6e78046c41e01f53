package example.remote;

import io.mastermind.api.DistributedSystem;
import io.mastermind.node.EmbeddedSystems;
import io.mastermind.node.MastermindNode;
import io.mastermind.api.impl.EmbeddedDistributedSystem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The remote-client example runs against a real node")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteExampleTest {

  @Test
  @DisplayName("it prints ten succeeded tasks and the newest page")
  void runs() throws Exception {
    String token = "example-token-0123456789";
    DistributedSystem node = EmbeddedSystems.embedded(new JsonObject().put("nodeId", "remote-example")
      .put("http", new JsonObject().put("port", 0)).put("apiTokens", new JsonArray().add(token)));
    node.initialize().await(30, TimeUnit.SECONDS);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      MastermindNode running = ((EmbeddedDistributedSystem) node).node();
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      RemoteExample.main(new String[] {running.httpUrl(), token});
    } finally {
      System.setOut(original);
      node.close().await(30, TimeUnit.SECONDS);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out.lines().filter(line -> line.contains(" succeeded {\"count\":"))).hasSize(10);
    assertThat(out).contains("newest: 3 tasks, next page ");
  }
}
