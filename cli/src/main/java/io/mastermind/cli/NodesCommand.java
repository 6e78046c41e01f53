package io.mastermind.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code mastermind nodes}: prints the nodes with their state, resources and metrics. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "Print the nodes (JSON).")
public final class NodesCommand implements Callable<Integer> {

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(new GatewayHttp(client).get("/api/v1/nodes").encodePrettily());
    return 0;
  }
}
