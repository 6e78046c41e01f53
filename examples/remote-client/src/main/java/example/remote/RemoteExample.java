package example.remote;

import io.mastermind.api.DistributedSystem;
import io.mastermind.api.DistributedSystemOptions;
import io.mastermind.api.TaskHandle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.IntStream;

/**
 * A client of a running node: {@code RemoteExample URL [TOKEN]} (or {@code $MASTERMIND_URL},
 * {@code $MASTERMIND_API_TOKEN}). It uses the program's own Vert.x, submits ten tasks at once,
 * waits for their ends and lists the newest.
 */
public final class RemoteExample {

  private RemoteExample() {
  }

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : System.getenv().getOrDefault("MASTERMIND_URL", "http://127.0.0.1:8080");
    String token = args.length > 1 ? args[1] : System.getenv("MASTERMIND_API_TOKEN");
    Vertx vertx = Vertx.vertx(); // the application's: the client runs on it and leaves it open
    DistributedSystem system = DistributedSystem.remote(vertx, url, token, new DistributedSystemOptions());
    try {
      system.initialize().await();
      List<Future<JsonObject>> ends = IntStream.rangeClosed(1, 10)
        .mapToObj(i -> system.submit(new JsonObject()
            .put("type", "compute")
            .put("payload", new JsonObject().put("function", "primes").put("data", new JsonObject().put("upTo", i * 1000)))))
        .map(submitted -> submitted.compose(TaskHandle::result))
        .toList();
      Future.all(ends).await();
      ends.forEach(end -> System.out.println(end.result().getString("id") + " " + end.result().getString("status")
        + " " + end.result().getJsonObject("result")));
      JsonObject page = system.list(new JsonObject().put("limit", 3)).await();
      System.out.println("newest: " + page.getJsonArray("tasks").size() + " tasks, next page " + page.getString("next"));
    } finally {
      system.close().await();
      vertx.close().await();
    }
  }
}
