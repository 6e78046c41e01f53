package example.embedded;

import io.mastermind.api.DistributedSystem;
import io.mastermind.api.TaskHandle;
import io.mastermind.node.EmbeddedSystems;
import io.vertx.core.json.JsonObject;

/** This process becomes a standalone node (HTTP on a free port), runs one task and stops. */
public final class EmbeddedExample {

  private EmbeddedExample() {
  }

  public static void main(String[] args) {
    DistributedSystem system = EmbeddedSystems.embedded(new JsonObject()
      .put("http", new JsonObject().put("port", 0)));
    system.on("task:completed", event -> System.out.println("event: " + event.getString("event") + " " + event.getString("taskId")));
    system.initialize().await();
    try {
      TaskHandle handle = system.submit(new JsonObject()
        .put("type", "compute")
        .put("payload", new JsonObject().put("function", "primes").put("data", new JsonObject().put("upTo", 1000)))).await();
      JsonObject record = handle.result().await();
      System.out.println("task " + handle.id() + ": " + record.getString("status") + " " + record.getJsonObject("result"));
    } finally {
      system.close().await();
    }
  }
}
