package io.mastermind.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code mastermind log-level LEVEL}: sets the log level of every node (admin scope). */
@Command(name = "log-level", mixinStandardHelpOptions = true,
  description = "Set the log level of every node: trace, debug, info, warn, error or off.")
public final class LogLevelCommand implements Callable<Integer> {

  @Mixin
  ClientOptions client;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "LEVEL", description = "trace, debug, info, warn, error or off")
  String level;

  @Override
  public Integer call() {
    Printer.print(client, spec.commandLine().getOut(),
      new GatewayHttp(client).put("/api/v1/log-level", new JsonObject().put("level", level)), Output::fields);
    return 0;
  }
}
