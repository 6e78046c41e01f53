package io.mastermind.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code mastermind status ID}: prints a task's status record. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Print a task's status record (fields, or JSON with --json).")
public final class StatusCommand implements Callable<Integer> {

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID", description = "The task's id")
  String id;

  @Override
  public Integer call() {
    Printer.print(client, spec.commandLine().getOut(), new GatewayHttp(client).get("/api/v1/tasks/" + GatewayHttp.segment(id)), Output::fields);
    return 0;
  }
}
