package io.mastermind.gateway;

import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.ValidationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * What every API request goes through after the token check and before its route, in three steps:
 * <ol>
 *   <li>a POST or PUT (the methods the API takes bodies on) must say {@code Content-Type: application/json} (or {@code
 *       application/*+json}), else 415 {@code UNSUPPORTED_MEDIA_TYPE}: a browser page on another site can
 *       send a form, multipart or text/plain body without asking (no CORS preflight), never JSON;</li>
 *   <li>its body is read, up to {@code http.bodyLimit} (413 past it); other methods' bodies are not read
 *       at all (a GET with a multipart body is answered as a GET);</li>
 *   <li>the body is decoded once, as strict UTF-8, and held to {@link JsonBounds} (400 {@code INVALID_JSON} or
 *       {@code INVALID_FIELD} naming the path); routes read the decoded value with
 *       {@link RequestBodies#jsonObject}.</li>
 * </ol>
 * The SockJS bridge, under {@code /eventbus}, is not behind this guard: its XHR transports post text.
 */
final class RequestGuard {

  /** Where the decoded body waits for the route. */
  static final String DECODED_BODY = "mastermind.decodedBody";
  private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT);

  private final BodyHandler body;
  private final JsonBounds bounds;

  RequestGuard(long bodyLimit, JsonBounds bounds) {
    this.body = BodyHandler.create(false).setBodyLimit(bodyLimit);
    this.bounds = bounds;
  }

  /** Guards every route under {@code path} (e.g. {@code /api/*}); mount it before them. */
  void mount(Router router, String path) {
    router.route(path).handler(this::contentType).handler(this::readBody).handler(this::decode);
  }

  private static boolean hasBody(RoutingContext ctx) {
    return WITH_BODY.contains(ctx.request().method());
  }

  private void contentType(RoutingContext ctx) {
    if (hasBody(ctx) && !isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      ctx.response().putHeader("Accept-Post", "application/json");
      HttpErrors.send(ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, ctx.request().method()
        + " needs Content-Type: application/json", null);
      return;
    }
    ctx.next();
  }

  private void readBody(RoutingContext ctx) {
    if (hasBody(ctx)) {
      body.handle(ctx);
    } else {
      ctx.next();
    }
  }

  private void decode(RoutingContext ctx) {
    Buffer raw = hasBody(ctx) ? ctx.body().buffer() : null;
    if (raw == null || raw.length() == 0) {
      ctx.next();
      return;
    }
    Object value;
    try {
      value = Json.decodeValue(utf8(raw));
      bounds.check(value);
    } catch (DecodeException | ValidationException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    if (value != null) {
      ctx.put(DECODED_BODY, value);
    }
    ctx.next();
  }

  /**
   * The body as text, strictly: JSON is UTF-8 (RFC 8259), and a lenient decoding would turn invalid
   * bytes into U+FFFD and accept a task the client never sent.
   */
  private static String utf8(Buffer body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body.getBytes())).toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException("body is not valid UTF-8");
    }
  }

  /** {@code application/json} or {@code application/something+json}, any parameters, any case. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
