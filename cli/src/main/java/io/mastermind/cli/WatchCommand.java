package io.mastermind.cli;

import io.mastermind.protocol.EventPattern;
import io.mastermind.protocol.WebSocketFrames;
import io.mastermind.protocol.WebSocketFrames.Op;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mastermind watch [PATTERN...]}: prints live events, one line each (one JSON object per line with {@code --json}). */
@Command(name = "watch", mixinStandardHelpOptions = true,
  description = "Print live events as they happen, one per line (--json: JSON lines; needs the gateway's WebSocket).")
public final class WatchCommand implements Callable<Integer> {

  static final long SUBSCRIBE_TIMEOUT_MS = 10_000;

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "PATTERN", arity = "0..*",
    description = "Event names, or prefixes such as task:* (default: * = everything)")
  List<String> patterns = List.of(EventPattern.EVERYTHING);

  @Option(names = "--count", paramLabel = "N", description = "Stop after N events (default: run until interrupted)")
  long count;

  @Override
  public Integer call() {
    List<String> wanted = patterns.isEmpty() ? List.of(EventPattern.EVERYTHING) : patterns;
    for (String pattern : wanted) {
      try {
        EventPattern.of(pattern);
      } catch (IllegalArgumentException e) {
        throw new CliException(2, e.getMessage());
      }
    }
    GatewayHttp http = new GatewayHttp(client);
    try (GatewaySocket socket = GatewaySocket.open(http)) {
      socket.send(WebSocketFrames.subscribe("watch", wanted));
      awaitSubscribed(socket);
      PrintWriter out = spec.commandLine().getOut();
      for (long seen = 0; count <= 0 || seen < count; ) {
        JsonObject frame = socket.next(Long.MAX_VALUE);
        if (GatewaySocket.closed(frame)) {
          throw new CliException(ClientOptions.EXIT_REFUSED, "event stream ended: " + frame.getString("reason"));
        }
        if (WebSocketFrames.op(frame) == Op.EVENT) { // else pong and the like
          JsonObject event = frame.getJsonObject("event", new JsonObject());
          out.println(client.json ? event.encode() : line(event));
          out.flush();
          seen++;
        }
      }
      return 0;
    } catch (GatewaySocket.Unavailable e) {
      throw new CliException(ClientOptions.EXIT_REFUSED, "watch needs the gateway's WebSocket " + http.webSocketPath()
        + ", which is not available: " + e.getMessage());
    }
  }

  /** {@code TIME  EVENT  TASK-OR-NODE  DATA}, control characters replaced. */
  static String line(JsonObject event) {
    String about = event.getString("taskId", event.getString("nodeId"));
    JsonObject data = event.getJsonObject("data");
    return Output.time(event.getValue("timestamp")) + "  " + Table.cell(event.getString("event")) + "  " + Table.cell(about)
      + (data == null || data.isEmpty() ? "" : "  " + Table.cell(data.encode()));
  }

  private static void awaitSubscribed(GatewaySocket socket) {
    long deadline = System.currentTimeMillis() + SUBSCRIBE_TIMEOUT_MS;
    while (true) {
      JsonObject frame = socket.next(Math.max(1, deadline - System.currentTimeMillis()));
      if (frame == null) {
        throw new CliException(ClientOptions.EXIT_REFUSED, "the gateway did not confirm the subscription within "
          + SUBSCRIBE_TIMEOUT_MS + " ms");
      }
      if (GatewaySocket.closed(frame)) {
        throw new CliException(ClientOptions.EXIT_REFUSED, "event stream ended: " + frame.getString("reason"));
      }
      Op op = WebSocketFrames.op(frame);
      if (op == Op.SUBSCRIBED) {
        return;
      }
      if (op == Op.ERROR) {
        JsonObject error = frame.getJsonObject("error", new JsonObject());
        throw new CliException(ClientOptions.EXIT_REFUSED, error.getString("code") + ": " + error.getString("message"));
      }
      // else not ours yet
    }
  }
}
