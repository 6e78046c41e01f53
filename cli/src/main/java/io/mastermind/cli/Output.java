package io.mastermind.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** How the client commands print what the gateway answered: tables and aligned fields, or JSON with {@code --json}. */
final class Output {

  private Output() {
  }

  /** One object as aligned {@code key  value} lines; nested values as compact JSON. */
  static void fields(PrintWriter out, JsonObject object) {
    Table table = new Table("field", "value");
    for (Map.Entry<String, Object> e : object) {
      table.row(e.getKey(), text(e.getKey(), e.getValue()));
    }
    table.print(out);
  }

  static void tasks(PrintWriter out, JsonArray tasks) {
    Table table = new Table("id", "type", "function", "priority", "status", "node", "attempts", "progress", "submitted");
    for (Object o : tasks) {
      JsonObject t = (JsonObject) o;
      table.row(t.getString("id"), t.getString("type"), t.getString("function"), t.getString("priority"),
        t.getString("status"), t.getString("node"), t.getValue("attempts"), percent(t.getValue("progress")),
        time(t.getValue("submittedAt")));
    }
    table.print(out);
  }

  static void nodes(PrintWriter out, JsonArray nodes) {
    Table table = new Table("id", "state", "cpu", "memory", "gpu", "running", "capabilities");
    for (Object o : nodes) {
      JsonObject n = (JsonObject) o;
      JsonObject resources = n.getJsonObject("resources", new JsonObject());
      JsonObject cpu = resources.getJsonObject("cpu", new JsonObject());
      JsonObject memory = resources.getJsonObject("memory", new JsonObject());
      table.row(n.getString("id"), n.getString("state"),
        number(cpu.getValue("available")) + "/" + number(cpu.getValue("cores")) + " free",
        number(memory.getValue("available")) + "/" + number(memory.getValue("total")) + " MB free",
        Boolean.TRUE.equals(resources.getValue("gpu")) ? "yes" : "no", n.getValue("runningTasks"),
        String.join(",", n.getJsonArray("capabilities", new JsonArray()).stream().map(String::valueOf).toList()));
    }
    table.print(out);
  }

  static String text(String key, Object value) {
    if (value instanceof JsonObject || value instanceof JsonArray) {
      return value.toString();
    }
    if (value instanceof Number && key.endsWith("At")) {
      return time(value);
    }
    return Table.cell(value);
  }

  static String time(Object epochMillis) {
    return epochMillis instanceof Number n && n.longValue() > 0 ? Instant.ofEpochMilli(n.longValue()).toString() : "-";
  }

  static String percent(Object fraction) {
    return fraction instanceof Number n ? String.format(Locale.ROOT, "%d%%", (int) Math.floor(n.doubleValue() * 100 + 1e-9)) : "-";
  }

  static String number(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
    return "-";
  }
}
