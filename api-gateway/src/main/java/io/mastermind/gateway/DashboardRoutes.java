package io.mastermind.gateway;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard (docs/operations.md, "Dashboard"): {@code GET /} is its page, {@code /dashboard/*} its own HTML, CSS
 * and ES modules ({@value #ROOT} on the classpath), {@code /webjars/*} the front-end libraries the build
 * brings as WebJars. All of it is open without a token: the page asks for one and sends it on each API
 * call, which is where it is checked. The page may load only from this gateway ({@link #CSP}).
 */
final class DashboardRoutes {

  static final String ROOT = "dashboard";
  static final String WEBJARS = "META-INF/resources/webjars";
  /**
   * Scripts and connections only to this origin (the bridge's WebSocket included); inline styles allowed
   * because the chart library sizes its canvases through style attributes; no framing, no plugins.
   */
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private DashboardRoutes() {
  }

  static void mount(Router router) {
    // reroute starts the response afresh: /dashboard/* sets the headers
    router.get("/").handler(ctx -> ctx.reroute("/dashboard/index.html"));
    router.get("/dashboard/*").handler(headers()).handler(StaticHandler.create(ROOT).setCachingEnabled(false)
      .setDirectoryListing(false));
    router.get("/webjars/*").handler(headers()).handler(StaticHandler.create(WEBJARS).setDirectoryListing(false)
      .setMaxAgeSeconds(86_400));
  }

  private static Handler<RoutingContext> headers() {
    return ctx -> {
      ctx.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer");
      ctx.next();
    };
  }
}
