package io.mastermind.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 document of the whole HTTP API, the classpath resource
 * {@value #RESOURCE}, served as is. It is behind the {@code /api/*} token check like every other read
 * ({@code read} scope). Two tests keep it true: every route of the router is in it and the reverse, and
 * real answers of each route validate against its schemas.
 */
final class OpenApiRoute {

  static final String PATH = "/api/v1/openapi.json";
  static final String RESOURCE = "openapi/mastermind.json";

  private static volatile Buffer document;

  private OpenApiRoute() {
  }

  /** The document's bytes, read from the classpath once. */
  static Buffer document() {
    Buffer loaded = document;
    if (loaded == null) {
      try (InputStream in = OpenApiRoute.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
        }
        loaded = Buffer.buffer(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      document = loaded;
    }
    return loaded;
  }

  static void mount(Router router) {
    Buffer body = document(); // read at start, not on the event loop of a request
    router.get(PATH).handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(body));
  }
}
