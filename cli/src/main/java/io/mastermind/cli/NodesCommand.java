package io.mastermind.cli;

import io.vertx.core.json.JsonArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code mastermind nodes}: the nodes with their state and free resources; {@code nodes drain ID} removes one. */
@Command(name = "nodes", mixinStandardHelpOptions = true, subcommands = NodesCommand.Drain.class,
  description = "Print the nodes: state, free resources, running tasks, capabilities.")
public final class NodesCommand implements Callable<Integer> {

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Printer.print(client, spec.commandLine().getOut(), new GatewayHttp(client).get("/api/v1/nodes"),
      (out, answer) -> Output.nodes(out, answer.getJsonArray("nodes", new JsonArray())));
    return 0;
  }

  /** {@code mastermind nodes drain ID}: removeNode. */
  @Command(name = "drain", mixinStandardHelpOptions = true,
    description = "Drain a node (removeNode): it takes no new task, its tasks not yet started run elsewhere, then it leaves.")
  static final class Drain implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The node's id")
    String id;

    @Override
    public Integer call() {
      Printer.print(client, spec.commandLine().getOut(), new GatewayHttp(client).delete("/api/v1/nodes/" + GatewayHttp.segment(id)),
        Output::fields);
      return 0;
    }
  }
}
