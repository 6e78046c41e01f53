package io.mastermind.cli;

import io.vertx.core.json.JsonArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mastermind tasks}: one page of the task list, newest last, with the cursor of the next page. */
@Command(name = "tasks", mixinStandardHelpOptions = true,
  description = "List tasks, a page at a time (filters: --status, --type; next page: --after CURSOR).")
public final class TasksCommand implements Callable<Integer> {

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Option(names = "--status", paramLabel = "STATUS", description = "Only tasks in this status (queued, scheduled, running, succeeded, failed, cancelled, timed_out)")
  String status;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only tasks of this type (compute, io_bound, gpu)")
  String type;

  @Option(names = "--limit", paramLabel = "N", description = "At most N tasks (the gateway's default when not given)")
  Integer limit;

  @Option(names = "--after", paramLabel = "CURSOR", description = "Continue after a previous page (its 'next')")
  String after;

  @Override
  public Integer call() {
    List<String> query = new ArrayList<>();
    add(query, "status", status);
    add(query, "type", type);
    add(query, "limit", limit == null ? null : String.valueOf(limit));
    add(query, "after", after);
    String path = "/api/v1/tasks" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    Printer.print(client, spec.commandLine().getOut(), new GatewayHttp(client).get(path), (out, page) -> {
      Output.tasks(out, page.getJsonArray("tasks", new JsonArray()));
      if (page.getString("next") != null) {
        out.println("more: mastermind tasks --after " + Table.cell(page.getString("next")));
      }
    });
    return 0;
  }

  private static void add(List<String> query, String name, String value) {
    if (value != null && !value.isBlank()) {
      query.add(name + "=" + GatewayHttp.segment(value.trim()));
    }
  }
}
