package io.mastermind.worker.metrics;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads this machine's load from the OS: cpu usage, physical memory, and network bytes summed over
 * the interfaces of {@code /proc/net/dev} (zero where that file does not exist). Blocking but cheap;
 * call it off the event loop.
 */
public final class NodeMetrics {

  private static final Path NET_DEV = Path.of("/proc/net/dev");

  private NodeMetrics() {
  }

  /** {@code {"cpu":{"usage"},"memory":{"used","available"},"network":{"bytesIn","bytesOut"}}}, memory in MB. */
  public static JsonObject sample() {
    long totalMb = totalMemoryMb();
    long freeMb = freeMemoryMb();
    long[] net = networkBytes();
    return new JsonObject()
      .put("cpu", new JsonObject().put("usage", cpuUsage()))
      .put("memory", new JsonObject().put("used", Math.max(0, totalMb - freeMb)).put("available", freeMb))
      .put("network", new JsonObject().put("bytesIn", net[0]).put("bytesOut", net[1]));
  }

  public static int availableProcessors() {
    return Runtime.getRuntime().availableProcessors();
  }

  public static long totalMemoryMb() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize() / (1024 * 1024);
    }
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  private static long freeMemoryMb() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getFreeMemorySize() / (1024 * 1024);
    }
    return Runtime.getRuntime().freeMemory() / (1024 * 1024);
  }

  /** System cpu usage in [0, 1], or 0 before the JVM has a first reading. */
  private static double cpuUsage() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getCpuLoad();
      return load < 0 || Double.isNaN(load) ? 0.0 : load;
    }
    return 0.0;
  }

  /** Received and sent bytes over all interfaces. */
  static long[] networkBytes() {
    long in = 0;
    long out = 0;
    try {
      List<String> lines = Files.readAllLines(NET_DEV);
      for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String[] fields = line.substring(colon + 1).trim().split("\\s+");
        if (fields.length >= 9) {
          in += Long.parseLong(fields[0]);
          out += Long.parseLong(fields[8]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
    return new long[] {in, out};
  }
}
