package io.mastermind.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code mastermind cancel ID}: cancels a task and prints the cancelled record. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
  description = "Cancel a task (queued: it leaves the queue; running: it is interrupted); prints its record.")
public final class CancelCommand implements Callable<Integer> {

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The task's id")
  String id;

  @Override
  public Integer call() {
    Printer.print(client, spec.commandLine().getOut(), new GatewayHttp(client).delete("/api/v1/tasks/" + GatewayHttp.segment(id)), Output::fields);
    return 0;
  }
}
