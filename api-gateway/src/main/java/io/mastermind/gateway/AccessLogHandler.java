package io.mastermind.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional HTTP access log ({@code http.accessLog}): one INFO line per request under
 * {@value #LOGGER}, once its response is written:
 * {@code 127.0.0.1 "GET /api/v1/tasks/t1?wait=100" 200 512 B 3 ms}. It never shows a credential: no
 * header is logged (so no {@code Authorization}), and the value of an {@code access_token} query
 * parameter (the WebSocket's and the SockJS bridge's way to pass a token) is replaced by {@value #HIDDEN}.
 */
public final class AccessLogHandler implements Handler<RoutingContext> {

  public static final String LOGGER = "io.mastermind.gateway.AccessLog";
  static final String HIDDEN = "***";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  /** {@code access_token=...} in a query string, however its name is spelt in case. */
  private static final Pattern TOKEN_PARAM = Pattern.compile("(?i)((?:^|&)access_token=)[^&]*");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    ctx.addBodyEndHandler(v -> {
      if (LOG.isInfoEnabled()) {
        LOG.info("{} \"{} {}\" {} {} B {} ms", request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress(),
          request.method().name(), target(request.path(), request.query()), ctx.response().getStatusCode(),
          ctx.response().bytesWritten(), (System.nanoTime() - start) / 1_000_000);
      }
    });
    ctx.next();
  }

  /** The path and query as the client sent them, any access token hidden. */
  static String target(String path, String query) {
    if (query == null || query.isEmpty()) {
      return path;
    }
    Matcher m = TOKEN_PARAM.matcher(query);
    return path + '?' + m.replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
  }
}
