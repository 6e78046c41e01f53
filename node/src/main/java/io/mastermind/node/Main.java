package io.mastermind.node;

import io.mastermind.cli.CancelCommand;
import io.mastermind.cli.CliException;
import io.mastermind.cli.ClusterCommand;
import io.mastermind.cli.LogLevelCommand;
import io.mastermind.cli.NodesCommand;
import io.mastermind.cli.StatusCommand;
import io.mastermind.cli.SubmitCommand;
import io.mastermind.cli.TasksCommand;
import io.mastermind.cli.WatchCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mastermind}: the command line of the node fat jar: {@code node} runs one, the others are its clients. */
@Command(name = "mastermind", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
  description = "Mastermind Distributed Computing",
  subcommands = {NodeCommand.class, NodeKeyCommand.class, SubmitCommand.class, StatusCommand.class, CancelCommand.class,
    TasksCommand.class, NodesCommand.class, ClusterCommand.class, LogLevelCommand.class, WatchCommand.class,
    AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    // Vert.x logs through SLF4J (logback) like everything else.
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("hazelcast.logging.type", "slf4j");
    int code = commandLine().execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The whole command line; a {@link CliException} ends a command with its message and exit code. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler((failure, cmd, parsed) -> {
      if (failure instanceof CliException cli) {
        cmd.getErr().println("mastermind " + cmd.getCommandName() + ": " + cli.getMessage());
        cmd.getErr().flush();
        return cli.exitCode();
      }
      throw failure;
    });
    return commandLine;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
