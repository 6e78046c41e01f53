package io.mastermind.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.function.BiConsumer;

/** Prints an answer as pretty JSON with {@code --json}, else the way the command lays it out. */
final class Printer {

  private Printer() {
  }

  static void print(ClientOptions client, PrintWriter out, JsonObject answer, BiConsumer<PrintWriter, JsonObject> asText) {
    if (client.json) {
      out.println(answer.encodePrettily());
    } else {
      asText.accept(out, answer);
    }
    out.flush();
  }
}
