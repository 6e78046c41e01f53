package io.mastermind.node;

import io.mastermind.api.DistributedSystem;
import io.mastermind.api.DistributedSystemOptions;
import io.mastermind.api.impl.EmbeddedDistributedSystem;
import io.vertx.core.json.JsonObject;

/**
 * The embedded {@link DistributedSystem}: the caller's process becomes a node (standalone unless the
 * config says {@code "cluster": {"enabled": true}}); commands and events go over its event bus. Here,
 * in the node artifact, because it needs the whole server; the remote client
 * ({@link DistributedSystem#remote(String, String)}) is in {@code mastermind-client} and needs none of it.
 */
public final class EmbeddedSystems {

  private EmbeddedSystems() {
  }

  /** An embedded standalone node with the built-in defaults (every role, HTTP on 127.0.0.1:8080). */
  public static DistributedSystem embedded() {
    return embedded(new JsonObject());
  }

  /**
   * An embedded node. {@code config} has the keys of {@code conf/node.json} (docs/operations.md, "Configuration"),
   * merged over the defaults; e.g. {@code {"http":{"port":0}}}, or {@code {"roles":["coordinator","worker"]}}
   * for no HTTP at all.
   *
   * @throws IllegalArgumentException at once when the config is invalid
   */
  public static DistributedSystem embedded(JsonObject config) {
    return embedded(config, new DistributedSystemOptions());
  }

  public static DistributedSystem embedded(JsonObject config, DistributedSystemOptions options) {
    return new EmbeddedDistributedSystem(NodeSettings.of(null, config), options);
  }
}
