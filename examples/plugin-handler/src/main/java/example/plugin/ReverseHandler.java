package example.plugin;

import io.mastermind.worker.spi.TaskContext;
import io.mastermind.worker.spi.TaskFailure;
import io.mastermind.worker.spi.TaskHandler;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/** docs/plugins.md: {@code {"function":"reverse","data":{"text":"..."}}}. */
public final class ReverseHandler implements TaskHandler {

  @Override
  public String function() {
    return "reverse";
  }

  @Override
  public Set<String> types() {
    return Set.of("data_processing"); // "*" serves every type
  }

  @Override
  public Object handle(Object data, TaskContext ctx) throws Exception {
    String text = data instanceof JsonObject json ? json.getString("text") : null;
    if (text == null) {
      throw TaskFailure.invalidData("payload.data.text is required"); // not retried
    }
    ctx.checkCancelled();    // call now and then in long loops: cancel/timeout interrupt you
    ctx.reportProgress(1.0); // published as task:progress
    return new JsonObject().put("text", new StringBuilder(text).reverse().toString());
  }
}
