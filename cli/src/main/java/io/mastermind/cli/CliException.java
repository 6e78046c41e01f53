package io.mastermind.cli;

/** Ends a command with a one-line message on stderr and an exit code (see {@link ClientOptions}). */
public final class CliException extends RuntimeException {

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
