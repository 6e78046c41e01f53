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
  /**
   * The smallest cpu a task may ask for: a hundredth of a core. Smaller values would let a client
   * place an unbounded number of tasks on one core (1e-9 cores is nothing to the ledger).
   */
  public static final double MIN_CPU = 0.01;
  /** The largest cpu a task may ask for. */
  public static final double MAX_CPU = 4096;

  public static Requirements fromJson(JsonObject json, String path) {
    if (json == null) {
      return DEFAULT;
    }
    Double cpu = JsonFields.optNumber(json, "cpu", path + ".cpu");
    if (cpu != null && (cpu < MIN_CPU || cpu > MAX_CPU)) {
      throw new ValidationException(path + ".cpu", path + ".cpu must be between " + MIN_CPU + " and " + (int) MAX_CPU
        + " cores (got " + cpu + ")");
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
