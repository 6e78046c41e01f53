package io.mastermind.testsupport;

import io.mastermind.node.MastermindNode;
import io.mastermind.node.NodeSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/** A real standalone node for a client test: its own Vert.x, every role, HTTP on a free loopback port. */
public final class GatewayNode implements AutoCloseable {

  public final Vertx vertx = Vertx.vertx();
  public final MastermindNode node;
  public final String url;

  /** @param overrides merged over the test defaults (node id {@code gw-node}, 4 cores, 4096 MB) */
  public GatewayNode(JsonObject overrides) throws Exception {
    JsonObject settings = new JsonObject()
      .put("nodeId", "gw-node")
      .put("http", new JsonObject().put("port", 0))
      .put("worker", new JsonObject().put("cpu", 4).put("memory", 4096))
      .put("scheduler", new JsonObject().put("retryBaseMs", 20).put("retryMaxMs", 100))
      .mergeIn(overrides, true);
    node = MastermindNode.start(vertx, NodeSettings.of(null, settings)).await(30, TimeUnit.SECONDS);
    url = node.httpUrl();
  }

  public GatewayNode() throws Exception {
    this(new JsonObject());
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
