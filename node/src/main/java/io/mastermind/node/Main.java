package io.mastermind.node;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mastermind}: the command line of the node fat jar. */
@Command(name = "mastermind", mixinStandardHelpOptions = true, version = "mastermind 0.1.0",
  description = "Mastermind Distributed Computing", subcommands = {NodeCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    // Vert.x logs through SLF4J (logback) like everything else.
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
