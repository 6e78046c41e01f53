package io.mastermind.cli;

import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.TaskStatus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code mastermind submit}: submits a task and prints its status record (fields, or JSON with {@code --json}). With {@code --wait} it follows
 * the task to its end with a progress bar on stderr, fed by {@code task:progress} events over the
 * WebSocket ({@code submit} op) when the gateway has one, else by polling {@code GET /api/v1/tasks/{id}}
 * and reading its {@code progress}; then it prints the final record.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
  description = "Submit a task (JSON) and print its status record (--json: as JSON); --wait follows it to the end with a progress bar.")
public final class SubmitCommand implements Callable<Integer> {

  static final class Source {
    @Option(names = "--task", paramLabel = "JSON", description = "The task as JSON text")
    String json;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the task from FILE ('-' for stdin)")
    Path file;

    @Parameters(paramLabel = "STDIN", arity = "0..1", description = "'-' reads the task from stdin")
    String dash;
  }

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--wait", description = "Wait for the end, showing progress; exit 3 when it did not succeed")
  boolean await;

  @Option(names = "--poll", description = "With --wait: poll the status record even if the gateway has a WebSocket")
  boolean poll;

  @Option(names = "--poll-interval-ms", paramLabel = "MS", defaultValue = "200",
    description = "With --wait, when polling: time between polls (default: ${DEFAULT-VALUE})")
  long pollIntervalMs;

  @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "3600000",
    description = "With --wait: give up waiting after MS (the task keeps running; default: ${DEFAULT-VALUE})")
  long timeoutMs;

  /** Where {@code -} reads from; tests replace it. */
  static InputStream stdin = System.in;

  @Override
  public Integer call() {
    if (pollIntervalMs <= 0 || timeoutMs <= 0) {
      throw new CliException(2, "--poll-interval-ms and --timeout-ms must be > 0");
    }
    JsonObject task = readTask();
    GatewayHttp http = new GatewayHttp(client);
    if (!await) {
      Printer.print(client, spec.commandLine().getOut(), http.post("/api/v1/tasks", task), Output::fields);
      return 0;
    }
    ProgressBar bar = ProgressBar.forConsole(spec.commandLine().getErr());
    long deadline = System.currentTimeMillis() + timeoutMs;
    JsonObject record = poll ? null : overWebSocket(http, task, bar, deadline);
    if (record == null) {
      record = byPolling(http, http.post("/api/v1/tasks", task), bar, deadline);
    }
    String status = record.getString("status");
    bar.finish(record.getDouble("progress", 0.0), status);
    Printer.print(client, spec.commandLine().getOut(), record, Output::fields);
    return TaskStatus.SUCCEEDED.wireName().equals(status) ? 0 : ClientOptions.EXIT_TASK_NOT_SUCCEEDED;
  }

  private JsonObject readTask() {
    String text;
    try {
      if (source.json != null) {
        text = source.json;
      } else if (source.file != null && !"-".equals(source.file.toString())) {
        text = Files.readString(source.file);
      } else if (source.file != null || "-".equals(source.dash)) {
        text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } else {
        throw new CliException(2, "give the task with --task JSON, --file FILE, or '-' for stdin (got '" + source.dash + "')");
      }
    } catch (IOException e) {
      throw new CliException(2, "cannot read the task: " + e.getMessage());
    }
    try {
      return new JsonObject(text.trim());
    } catch (DecodeException | ClassCastException e) {
      throw new CliException(2, "the task is not a JSON object: " + e.getMessage());
    }
  }

  /**
   * The {@code submit} op: {@code accepted}, the task's events, then {@code result}. Null when the gateway
   * has no WebSocket (the caller polls instead) or the socket went away before the result.
   */
  private JsonObject overWebSocket(GatewayHttp http, JsonObject task, ProgressBar bar, long deadline) {
    try (GatewaySocket socket = GatewaySocket.open(http)) {
      socket.send(WebSocketFrames.submit("submit", task));
      JsonObject accepted = null;
      while (true) {
        JsonObject frame = socket.next(Math.max(1, deadline - System.currentTimeMillis()));
        if (frame == null) {
          throw notEnded(accepted);
        }
        if (GatewaySocket.closed(frame)) {
          // lost mid-way: carry on by polling the task we know of, or submit it over HTTP
          return accepted == null ? null : byPolling(http, accepted, bar, deadline);
        }
        Op op = WebSocketFrames.op(frame);
        if (op == null) {
          continue;
        }
        switch (op) {
          case ACCEPTED -> {
            accepted = frame.getJsonObject("task", new JsonObject());
            bar.update(accepted.getDouble("progress", 0.0), accepted.getString("status"));
          }
          case EVENT -> {
            JsonObject event = frame.getJsonObject("event", new JsonObject());
            if (EventNames.TASK_PROGRESS.equals(event.getString("event"))) {
              bar.update(event.getJsonObject("data", new JsonObject()).getDouble("progress", 0.0), "running");
            }
          }
          case RESULT -> {
            return frame.getJsonObject("task");
          }
          case ERROR -> {
            JsonObject error = frame.getJsonObject("error", new JsonObject());
            throw new CliException(ClientOptions.EXIT_REFUSED, error.getString("code") + ": " + error.getString("message"));
          }
          default -> {
            // pong and the like
          }
        }
      }
    } catch (GatewaySocket.Unavailable e) {
      return null;
    }
  }

  /** Polls {@code GET /api/v1/tasks/{id}} until the record is terminal, drawing its {@code progress}. */
  private JsonObject byPolling(GatewayHttp http, JsonObject record, ProgressBar bar, long deadline) {
    String path = "/api/v1/tasks/" + GatewayHttp.segment(record.getString("id"));
    while (!TaskStatus.parse(record.getString("status"), "status").isTerminal()) {
      bar.update(record.getDouble("progress", 0.0), record.getString("status"));
      if (System.currentTimeMillis() >= deadline) {
        throw notEnded(record);
      }
      try {
        Thread.sleep(pollIntervalMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ClientOptions.EXIT_REFUSED, "interrupted");
      }
      record = http.get(path);
    }
    return record;
  }

  private CliException notEnded(JsonObject record) {
    return new CliException(ClientOptions.EXIT_REFUSED, "gave up waiting after " + timeoutMs + " ms"
      + (record == null ? "" : "; task " + record.getString("id") + " is still " + record.getString("status")));
  }
}
