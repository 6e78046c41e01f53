package io.mastermind.node;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads what a node's config is made of at start-up: the config file through vertx-config (YAML for
 * {@code .yaml}/{@code .yml}, JSON otherwise), on a short-lived Vert.x started only when there is a file,
 * before the node's own exists; and the environment and the system properties as they are. Mapping them onto keys is
 * {@link ConfigKeys}'s job; layering them is {@link NodeSettings}'s.
 */
public final class NodeConfigSources {

  private final Path path;
  private final JsonObject file;
  private final Map<String, String> environment;
  private final Map<String, String> properties;

  NodeConfigSources(Path path, JsonObject file, Map<String, String> environment, Map<String, String> properties) {
    this.path = path;
    this.file = file;
    this.environment = environment;
    this.properties = properties;
  }

  /** Reads {@code file} (null: none), the environment and the system properties; blocks for at most 30 s. */
  public static NodeConfigSources read(Path file) throws IOException {
    return new NodeConfigSources(file, readFile(file), System.getenv(), NodeSettings.systemProperties());
  }

  /** {@code file}'s content as JSON (YAML or JSON by its name); null for a null file. */
  static JsonObject readFile(Path file) throws IOException {
    return file == null ? null : withVertx(vertx -> readFile(vertx, file));
  }

  private static JsonObject readFile(Vertx vertx, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("config file " + file + " does not exist");
    }
    return retrieve(vertx, new ConfigStoreOptions().setType("file").setFormat(format(file))
      .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString())), file);
  }

  private interface Reading<T> {
    T read(Vertx vertx) throws IOException;
  }

  /** Runs {@code reading} on a Vert.x of its own, closed afterwards: the node's own Vert.x is not started yet. */
  private static <T> T withVertx(Reading<T> reading) throws IOException {
    Vertx vertx = Vertx.vertx();
    try {
      return reading.read(vertx);
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // nothing of it is needed any more
      }
    }
  }

  /** {@code yaml} for a {@code .yaml} or {@code .yml} file, else {@code json}. */
  static String format(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") ? "yaml" : "json";
  }

  private static JsonObject retrieve(Vertx vertx, ConfigStoreOptions store, Path file) throws IOException {
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
      new ConfigRetrieverOptions().setScanPeriod(-1).setIncludeDefaultStores(false).addStore(store));
    try {
      return retriever.getConfig().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause.getCause() != null && cause.getMessage() != null && cause.getMessage().startsWith("Unable to")) {
        cause = cause.getCause(); // vertx-config wraps the parser's message, which is the one that says what is wrong
      }
      throw new IOException("config file " + file + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the config", e);
    } catch (TimeoutException e) {
      throw new IOException("timed out reading the config", e);
    } finally {
      retriever.close();
    }
  }

  /** The config file; null when there is none. */
  public Path path() {
    return path;
  }

  /** The config file's content; null when there is none. */
  public JsonObject file() {
    return file;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public Map<String, String> properties() {
    return properties;
  }
}
