package io.mastermind.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a worker node describes itself in {@code node_join} and {@code POST /api/v1/nodes} (the seed's
 * NodeConfig): id, address, capability tags, resources, and the functions its workers serve.
 *
 * @param functions function name to the task types it serves ({@code "*"} for all)
 */
public record NodeConfig(String id, String host, int port, Set<String> capabilities, double cpuCores,
                         double cpuSpeed, long memoryMb, boolean gpu, Map<String, Set<String>> functions) {

  public static final Set<String> DEFAULT_CAPABILITIES = Set.of("compute", "io_bound", "data_processing", "ml_training");
  /** A node id: what {@code --node-id} accepts. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** A capability tag, after lower-casing. */
  public static final Pattern CAPABILITY = Pattern.compile("[a-z0-9._:-]{1,64}");
  public static final int MAX_CAPABILITIES = 64;
  public static final int MAX_FUNCTIONS = 1024;
  public static final int MAX_HOST_LENGTH = 255;

  public NodeConfig {
    capabilities = Set.copyOf(capabilities);
    functions = functions == null ? Map.of() : Map.copyOf(functions);
  }

  public boolean serves(String function, String type) {
    Set<String> types = functions.get(function);
    return types != null && (types.contains(type) || types.contains(BuiltinFunctions.ANY_TYPE));
  }

  /**
   * Parses the seed shape. {@code resources.cpu} may be a number of cores or {@code {cores, speed}};
   * {@code resources.memory} a number of MB or {@code {total, available}}.
   */
  public static NodeConfig fromJson(JsonObject json) {
    if (json == null) {
      throw new ValidationException("node", "a NodeConfig object is required");
    }
    String id = JsonFields.requireString(json, "id", "id");
    if (!ID.matcher(id).matches()) {
      throw new ValidationException("id", "id must be 1-64 letters, digits, '.', '_' or '-'");
    }
    String host = JsonFields.optString(json, "host", "host");
    if (host != null && (host.isBlank() || host.length() > MAX_HOST_LENGTH)) {
      throw new ValidationException("host", "host must be 1-" + MAX_HOST_LENGTH + " characters");
    }
    Long port = JsonFields.optLong(json, "port", "port", 0, 65535);
    JsonArray caps = JsonFields.optArray(json, "capabilities", "capabilities");
    Set<String> capabilities = new LinkedHashSet<>();
    if (caps == null) {
      capabilities.addAll(DEFAULT_CAPABILITIES);
    } else {
      if (caps.size() > MAX_CAPABILITIES) {
        throw new ValidationException("capabilities", "capabilities must list at most " + MAX_CAPABILITIES + " tags");
      }
      for (int i = 0; i < caps.size(); i++) {
        String field = "capabilities[" + i + "]";
        if (!(caps.getValue(i) instanceof String tag) || tag.isBlank()) {
          throw new ValidationException(field, field + " must be a non-empty string");
        }
        String normalised = tag.trim().toLowerCase(Locale.ROOT);
        if (!CAPABILITY.matcher(normalised).matches()) {
          throw new ValidationException(field, field + " must be 1-64 letters, digits, '.', '_', ':' or '-'");
        }
        capabilities.add(normalised);
      }
    }
    JsonObject resources = JsonFields.optObject(json, "resources", "resources");
    if (resources == null) {
      throw new ValidationException("resources", "resources is required");
    }
    double cores;
    double speed = 1.0;
    if (resources.getValue("cpu") instanceof JsonObject cpu) {
      cores = positive(JsonFields.optNumber(cpu, "cores", "resources.cpu.cores"), "resources.cpu.cores");
      Double s = JsonFields.optNumber(cpu, "speed", "resources.cpu.speed");
      speed = s == null ? 1.0 : positive(s, "resources.cpu.speed");
    } else {
      cores = positive(JsonFields.optNumber(resources, "cpu", "resources.cpu"), "resources.cpu");
    }
    long memory;
    if (resources.getValue("memory") instanceof JsonObject mem) {
      memory = JsonFields.requireLong(mem, "total", "resources.memory.total", 0, 1L << 40);
    } else {
      memory = JsonFields.requireLong(resources, "memory", "resources.memory", 0, 1L << 40);
    }
    Boolean gpu = JsonFields.optBoolean(resources, "gpu", "resources.gpu");
    Map<String, Set<String>> functions = new TreeMap<>();
    JsonObject fns = JsonFields.optObject(json, "functions", "functions");
    if (fns != null) {
      if (fns.size() > MAX_FUNCTIONS) {
        throw new ValidationException("functions", "functions must name at most " + MAX_FUNCTIONS + " functions");
      }
      for (String function : fns.fieldNames()) {
        if (function.isEmpty() || function.length() > TaskSpec.MAX_FUNCTION_LENGTH) {
          throw new ValidationException("functions", "a function name must be 1-" + TaskSpec.MAX_FUNCTION_LENGTH + " characters");
        }
        functions.put(function, typesOf(fns, function));
      }
    }
    return new NodeConfig(id, host == null ? "127.0.0.1" : host, port == null ? 0 : port.intValue(), capabilities,
      cores, speed, memory, gpu != null && gpu, functions);
  }

  public NodeConfig withFunctions(Map<String, Set<String>> served) {
    return new NodeConfig(id, host, port, capabilities, cpuCores, cpuSpeed, memoryMb, gpu, served);
  }

  public JsonObject toJson() {
    JsonObject fns = new JsonObject();
    new TreeMap<>(functions).forEach((fn, types) -> fns.put(fn, new JsonArray(types.stream().sorted().toList())));
    return new JsonObject()
      .put("id", id)
      .put("host", host)
      .put("port", port)
      .put("capabilities", new JsonArray(capabilities.stream().sorted().toList()))
      .put("resources", new JsonObject()
        .put("cpu", new JsonObject().put("cores", cpuCores).put("speed", cpuSpeed))
        .put("memory", new JsonObject().put("total", memoryMb))
        .put("gpu", gpu))
      .put("functions", fns);
  }

  private static Set<String> typesOf(JsonObject fns, String function) {
    String path = "functions." + function;
    JsonArray types = JsonFields.optArray(fns, function, path);
    if (types == null) {
      throw new ValidationException(path, path + " must be an array of task types");
    }
    if (types.size() > MAX_CAPABILITIES) {
      throw new ValidationException(path, path + " must list at most " + MAX_CAPABILITIES + " task types");
    }
    Set<String> result = new LinkedHashSet<>();
    for (int i = 0; i < types.size(); i++) {
      if (!(types.getValue(i) instanceof String type) || type.isBlank() || type.length() > 64) {
        throw new ValidationException(path + "[" + i + "]", path + "[" + i + "] must be a task type name");
      }
      result.add(type);
    }
    return result;
  }

  private static double positive(Double value, String field) {
    if (value == null || value <= 0) {
      throw new ValidationException(field, field + " must be a number > 0");
    }
    return value;
  }
}
