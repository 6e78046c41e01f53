package io.mastermind.cli;

import io.mastermind.protocol.WebSocketFrames;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;

/**
 * What every client subcommand shares: the gateway's URL, the API token, and for {@code https} URLs the CA
 * file to trust (else the JVM's default trust store).
 *
 * <p>Output: tables and aligned fields by default, the gateway's JSON with {@code --json}.
 *
 * <p>Exit codes: 0 done; 1 the gateway refused (4xx/5xx, message on stderr) or could not be reached;
 * 2 bad command line; 3 {@code submit --wait}: the task ended but did not succeed.
 */
public final class ClientOptions {

  public static final String DEFAULT_URL = "http://127.0.0.1:8080";
  public static final int EXIT_REFUSED = 1;
  public static final int EXIT_TASK_NOT_SUCCEEDED = 3;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:MASTERMIND_URL:-" + DEFAULT_URL + "}",
    description = "The gateway (default: $MASTERMIND_URL, else " + DEFAULT_URL + ")")
  String url;

  @Option(names = "--json", description = "Print the gateway's JSON instead of a table")
  boolean json;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MASTERMIND_API_TOKEN}",
    description = "API token (default: $MASTERMIND_API_TOKEN)")
  String token;

  @Option(names = "--ca-file", paramLabel = "FILE", defaultValue = "${env:MASTERMIND_CA_FILE}",
    description = "PEM certificate(s) to trust for an https gateway: its CA, or its self-signed certificate"
      + " (default: $MASTERMIND_CA_FILE, else the JVM's trusted CAs)")
  Path caFile;

  @Option(names = "--ws-path", paramLabel = "PATH", defaultValue = "${env:MASTERMIND_WS_PATH:-" + WebSocketFrames.DEFAULT_PATH + "}",
    description = "The gateway's WebSocket path, its http.websocket.path (default: $MASTERMIND_WS_PATH, else "
      + WebSocketFrames.DEFAULT_PATH + ")")
  String webSocketPath;

  /** The WebSocket path; one not starting with '/' is a usage error. */
  String webSocketPath() {
    String path = webSocketPath == null || webSocketPath.isBlank() ? WebSocketFrames.DEFAULT_PATH : webSocketPath.trim();
    if (!path.startsWith("/")) {
      throw new CliException(2, "--ws-path must be an absolute path such as " + WebSocketFrames.DEFAULT_PATH + " (got '" + path + "')");
    }
    return path;
  }

  /** The URL without a trailing slash; a bad one is a usage error. */
  String baseUrl() {
    String text = url.trim();
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(2, "--url '" + url + "' is not a URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new CliException(2, "--url must look like http://HOST:PORT or https://HOST:PORT (got '" + url + "')");
    }
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  /** The token, or null. */
  String token() {
    return token == null || token.isBlank() ? null : token.trim();
  }
}
