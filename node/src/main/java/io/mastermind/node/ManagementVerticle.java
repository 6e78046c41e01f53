package io.mastermind.node;

import io.mastermind.gateway.ManagementRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;

/**
 * The management port: {@code /metrics}, {@code /health}, {@code /health/live} and
 * {@code /health/ready} of this node, the same routes the gateway serves, on a listener of their own so
 * that a node without the gateway role can be scraped and probed.
 */
public final class ManagementVerticle extends VerticleBase {

  private final ManagementOptions options;
  private final HealthChecks checks;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  /** @param registry the node's registry, shown on {@code /metrics} */
  public ManagementVerticle(ManagementOptions options, HealthChecks checks, PrometheusMeterRegistry registry) {
    if (!options.isEnabled()) {
      throw new IllegalArgumentException("management.port is not set");
    }
    this.options = options;
    this.checks = checks;
    this.registry = registry;
  }

  /** {@code http://host:port}, with the port actually bound. */
  public String url() {
    return "http://" + options.getHost() + ":" + server.actualPort();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    ManagementRoutes.mount(router, checks, registry);
    server = vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))
      .requestHandler(router);
    return server.listen()
      .recover(err -> Future.failedFuture(new ManagementBindException(options, err)));
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }

  /** The management listener could not be opened (the port is taken, or the host is not this machine's). */
  static final class ManagementBindException extends RuntimeException {
    ManagementBindException(ManagementOptions options, Throwable cause) {
      super("cannot listen on management port " + options.getHost() + ":" + options.getPort() + " (" + cause.getMessage()
        + "); choose another --management-port", cause);
    }
  }
}
