/**
 * The command-line client of a gateway: {@code mastermind submit|status|cancel|nodes|watch}, one class
 * per subcommand, sharing {@link io.mastermind.cli.ClientOptions} and the small blocking HTTP and
 * WebSocket helpers (JDK {@code java.net.http}: no Vert.x needed to start a command).
 */
package io.mastermind.cli;
