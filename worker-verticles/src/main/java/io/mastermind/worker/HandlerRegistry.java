package io.mastermind.worker;

import io.mastermind.worker.spi.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The functions this node's workers can run: every {@link TaskHandler} found by {@link ServiceLoader}
 * on the classpath, then in each jar of the plugins folder. A plugin may replace a built-in by
 * declaring the same function name.
 */
public final class HandlerRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

  private final Map<String, TaskHandler> handlers;

  public HandlerRegistry(Iterable<TaskHandler> found) {
    Map<String, TaskHandler> byName = new TreeMap<>();
    for (TaskHandler handler : found) {
      TaskHandler previous = byName.put(handler.function(), handler);
      if (previous != null) {
        LOG.info("handler " + handler.getClass().getName() + " replaces " + previous.getClass().getName()
          + " for function " + handler.function());
      }
    }
    this.handlers = Collections.unmodifiableMap(byName);
  }

  /** Handlers on the classpath plus those in the jars of {@code pluginsDir} (ignored when absent). */
  public static HandlerRegistry load(Path pluginsDir) {
    List<TaskHandler> found = new ArrayList<>();
    ServiceLoader.load(TaskHandler.class, HandlerRegistry.class.getClassLoader()).forEach(found::add);
    if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
      URL[] jars = jarsIn(pluginsDir);
      if (jars.length > 0) {
        // The loader lives as long as the node: plugin classes stay loaded while tasks may use them.
        URLClassLoader loader = new URLClassLoader(jars, HandlerRegistry.class.getClassLoader());
        ServiceLoader.load(TaskHandler.class, loader).stream()
          .filter(p -> p.type().getClassLoader() == loader)
          .forEach(p -> found.add(p.get()));
      }
    }
    return new HandlerRegistry(found);
  }

  private static URL[] jarsIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().map(HandlerRegistry::toUrl).toArray(URL[]::new);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read plugins folder " + dir + ": " + e.getMessage(), e);
    }
  }

  private static URL toUrl(Path path) {
    try {
      return path.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  public Optional<TaskHandler> find(String function) {
    return Optional.ofNullable(handlers.get(function));
  }

  /** Function name to the task types it serves, as a node declares in {@code node_join}. */
  public Map<String, Set<String>> functions() {
    Map<String, Set<String>> served = new TreeMap<>();
    handlers.forEach((name, handler) -> served.put(name, Set.copyOf(handler.types())));
    return served;
  }
}
