package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

/**
 * What a task needs of a node: cpu cores, memory in MB and whether it needs a gpu.
 * A task that names no requirements takes {@link #DEFAULT_CPU} core and no memory, so a node runs
 * as many such tasks at once as it has cores.
 */
public record Requirements(double cpu, long memory, boolean gpu) {

  public static final double DEFAULT_CPU = 1.0;
  public static final long DEFAULT_MEMORY = 0;
  public static final Requirements DEFAULT = new Requirements(DEFAULT_CPU, DEFAULT_MEMORY, false);

  public static Requirements fromJson(JsonObject json, String path) {
    if (json == null) {
      return DEFAULT;
    }
    Double cpu = JsonFields.optNumber(json, "cpu", path + ".cpu");
    if (cpu != null && (cpu <= 0 || cpu > 4096)) {
      throw new ValidationException(path + ".cpu", path + ".cpu must be > 0 and <= 4096 cores (got " + cpu + ")");
    }
    Long memory = JsonFields.optLong(json, "memory", path + ".memory", 0, 1L << 40);
    Boolean gpu = JsonFields.optBoolean(json, "gpu", path + ".gpu");
    Requirements parsed = new Requirements(cpu == null ? DEFAULT_CPU : cpu,
      memory == null ? DEFAULT_MEMORY : memory,
      gpu != null && gpu);
    return parsed.equals(DEFAULT) ? DEFAULT : parsed; // a million queued tasks share one default
  }

  public JsonObject toJson() {
    return new JsonObject().put("cpu", cpu).put("memory", memory).put("gpu", gpu);
  }
}
