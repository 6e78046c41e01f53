package io.mastermind.node;

import io.mastermind.testsupport.TestHttp;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The JSON-over-HTTP calls the cluster tests make against any node's gateway. */
final class ClusterHttp {

  private final HttpClient http = TestHttp.builder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The answer's JSON with its status under {@code httpStatus}. */
  JsonObject call(String method, String url, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
      : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(response.body()).put("httpStatus", response.statusCode());
  }

  static String sleepTask(String id, int ms) {
    return new JsonObject().put("id", id).put("type", "io_bound")
      .put("payload", new JsonObject().put("function", "sleep").put("data", new JsonObject().put("ms", ms))).encode();
  }
}
