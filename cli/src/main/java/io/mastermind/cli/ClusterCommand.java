package io.mastermind.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mastermind cluster}: the leader, queue, task counts by status, counters and nodes by state. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
  description = "Print the cluster: leader and epoch, queue, tasks by status, counters, nodes by state.")
public final class ClusterCommand implements Callable<Integer> {

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Printer.print(client, spec.commandLine().getOut(), new GatewayHttp(client).get("/api/v1/cluster"), ClusterCommand::summary);
    return 0;
  }

  static void summary(PrintWriter out, JsonObject cluster) {
    JsonObject leader = cluster.getJsonObject("leader", new JsonObject());
    Table table = new Table("field", "value");
    table.row("leader", leader.getString("nodeId"));
    table.row("epoch", leader.getValue("epoch"));
    table.row("queued", cluster.getValue("queue"));
    counts(table, "tasks", cluster.getJsonObject("tasks"));
    counts(table, "counters", cluster.getJsonObject("counters"));
    if (cluster.getValue("nexus") instanceof JsonObject nexus) {
      table.row("nexus", nexus.encode());
    }
    counts(table, "nodes", cluster.getJsonObject("nodes"));
    table.print(out);
  }

  private static void counts(Table table, String prefix, JsonObject counts) {
    if (counts == null) {
      return;
    }
    for (Map.Entry<String, Object> e : counts) {
      table.row(prefix + "." + e.getKey(), Output.text(e.getKey(), e.getValue()));
    }
  }
}
