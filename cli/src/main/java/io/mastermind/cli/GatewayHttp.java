package io.mastermind.cli;

import io.mastermind.protocol.WebSocketFrames;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The blocking HTTP helper of the subcommands: JSON in, JSON out; a 4xx/5xx or an unreachable gateway
 * becomes a {@link CliException} with the gateway's {@code code: message}.
 */
final class GatewayHttp {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;
  private final String token;
  private final String webSocketPath;
  private final HttpClient client;

  GatewayHttp(ClientOptions options) {
    this.baseUrl = options.baseUrl();
    this.token = options.token();
    this.webSocketPath = options.webSocketPath();
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (baseUrl.startsWith("http://")) {
      // no cleartext HTTP/2 upgrade (Upgrade: h2c): seen to stall a request against Vert.x; https negotiates h2 by ALPN
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    if (options.caFile != null) {
      builder.sslContext(TrustedCa.sslContext(options.caFile));
    }
    this.client = builder.build();
  }

  String baseUrl() {
    return baseUrl;
  }

  String token() {
    return token;
  }

  String webSocketPath() {
    return webSocketPath;
  }

  HttpClient client() {
    return client;
  }

  static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonObject get(String path) {
    return send(request(path).GET());
  }

  JsonObject delete(String path) {
    return send(request(path).DELETE());
  }

  JsonObject post(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  JsonObject put(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json")
      .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT);
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private JsonObject send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException(ClientOptions.EXIT_REFUSED, "cannot reach the gateway at " + baseUrl + " (connection refused)");
    } catch (javax.net.ssl.SSLException e) {
      throw new CliException(ClientOptions.EXIT_REFUSED, "TLS with the gateway at " + baseUrl + " failed: " + e.getMessage()
        + " (is its certificate signed by the CA given with --ca-file?)");
    } catch (IOException e) {
      throw new CliException(ClientOptions.EXIT_REFUSED, "cannot reach the gateway at " + baseUrl + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ClientOptions.EXIT_REFUSED, "interrupted");
    }
    JsonObject body = WebSocketFrames.parse(response.body());
    if (response.statusCode() >= 400) {
      JsonObject error = body == null ? null : body.getJsonObject("error");
      String text = error == null ? "HTTP " + response.statusCode()
        : error.getString("code") + ": " + error.getString("message")
          + (error.getString("field") == null ? "" : " (field " + error.getString("field") + ")");
      throw new CliException(ClientOptions.EXIT_REFUSED, text);
    }
    return body == null ? new JsonObject() : body;
  }
}
