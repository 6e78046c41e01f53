package io.mastermind.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests (no parser library is
 * available offline: the Prometheus Java artifacts only write the format). It fails on anything a
 * Prometheus server would refuse or that is ambiguous: bad names, label syntax or escapes, values that
 * are not floats, a {@code # TYPE} after its samples or given twice, a family's samples split by
 * another's, a series given twice, sample names that do not fit the family's type, and histograms whose
 * buckets are not cumulative, lack {@code le="+Inf"} or disagree with {@code _count}.
 */
final class PrometheusText {

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  record Sample(String name, Map<String, String> labels, double value) {
  }

  static final class Family {
    final String name;
    String type = "untyped";
    boolean typed;
    String help;
    final List<Sample> samples = new ArrayList<>();

    Family(String name) {
      this.name = name;
    }

    String type() {
      return type;
    }
  }

  private final Map<String, Family> families = new LinkedHashMap<>();

  private PrometheusText() {
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the line at the first error. */
  static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition does not end with a line feed");
    }
    String[] lines = text.split("\n", -1);
    Set<String> closed = new HashSet<>();
    Set<String> series = new HashSet<>();
    String current = null;
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      try {
        if (line.isEmpty()) {
          continue;
        }
        if (line.startsWith("#")) {
          current = parsed.comment(line, current, closed);
          continue;
        }
        Sample sample = sample(line);
        String family = parsed.familyOf(sample.name());
        if (!family.equals(current)) {
          if (current != null) {
            closed.add(current);
          }
          if (closed.contains(family)) {
            throw new IllegalArgumentException("samples of " + family + " are not together");
          }
          current = family;
        }
        if (!series.add(sample.name() + new TreeMap<>(sample.labels()))) {
          throw new IllegalArgumentException("series given twice");
        }
        parsed.families.computeIfAbsent(family, Family::new).samples.add(sample);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
      }
    }
    parsed.families.values().forEach(PrometheusText::checkFamily);
    return parsed;
  }

  private String comment(String line, String current, Set<String> closed) {
    String[] parts = line.split(" ", 4);
    if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
      return current; // any other comment
    }
    String name = parts[2];
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name " + name);
    }
    if (closed.contains(name) || (families.containsKey(name) && !families.get(name).samples.isEmpty())) {
      throw new IllegalArgumentException(parts[1] + " of " + name + " after its samples");
    }
    if (current != null && !current.equals(name)) {
      closed.add(current);
    }
    Family family = families.computeIfAbsent(name, Family::new);
    if (parts[1].equals("TYPE")) {
      if (parts.length != 4 || !TYPES.contains(parts[3])) {
        throw new IllegalArgumentException("bad TYPE");
      }
      if (family.typed) {
        throw new IllegalArgumentException("TYPE of " + name + " given twice");
      }
      family.type = parts[3];
      family.typed = true;
    } else {
      if (family.help != null) {
        throw new IllegalArgumentException("HELP of " + name + " given twice");
      }
      family.help = parts.length == 4 ? unescapeHelp(parts[3]) : "";
    }
    return name;
  }

  /** The family a sample belongs to: by its TYPE line and the type's suffixes. */
  private String familyOf(String sampleName) {
    for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
      if (sampleName.endsWith(suffix)) {
        String base = sampleName.substring(0, sampleName.length() - suffix.length());
        Family f = families.get(base);
        if (f != null && (f.type.equals("histogram") || f.type.equals("summary") && !suffix.equals("_bucket"))) {
          return base;
        }
      }
    }
    Family f = families.get(sampleName);
    if (f != null && f.type.equals("histogram")) {
      throw new IllegalArgumentException("a histogram's sample must end in _bucket, _count or _sum");
    }
    return sampleName;
  }

  private static Sample sample(String line) {
    int at = 0;
    int n = line.length();
    while (at < n && line.charAt(at) != '{' && line.charAt(at) != ' ') {
      at++;
    }
    String name = line.substring(0, at);
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name '" + name + "'");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (at < n && line.charAt(at) == '{') {
      at++;
      while (true) {
        if (at < n && line.charAt(at) == '}') {
          at++;
          break;
        }
        int eq = line.indexOf('=', at);
        if (eq < 0) {
          throw new IllegalArgumentException("label without =");
        }
        String label = line.substring(at, eq);
        if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
          throw new IllegalArgumentException("bad label name '" + label + "'");
        }
        at = eq + 1;
        if (at >= n || line.charAt(at) != '"') {
          throw new IllegalArgumentException("label value of " + label + " not quoted");
        }
        at++;
        StringBuilder value = new StringBuilder();
        boolean ended = false;
        while (at < n) {
          char c = line.charAt(at++);
          if (c == '"') {
            ended = true;
            break;
          }
          if (c == '\\') {
            if (at >= n) {
              throw new IllegalArgumentException("escape at end of line");
            }
            char e = line.charAt(at++);
            switch (e) {
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              case 'n' -> value.append('\n');
              default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
          } else {
            value.append(c);
          }
        }
        if (!ended) {
          throw new IllegalArgumentException("label value of " + label + " not closed");
        }
        if (labels.put(label, value.toString()) != null) {
          throw new IllegalArgumentException("label " + label + " given twice");
        }
        if (at < n && line.charAt(at) == ',') {
          at++;
        } else if (at >= n || line.charAt(at) != '}') {
          throw new IllegalArgumentException("expected , or } after a label");
        }
      }
    }
    if (at >= n || line.charAt(at) != ' ') {
      throw new IllegalArgumentException("expected one space before the value");
    }
    String[] rest = line.substring(at + 1).split(" ", -1);
    if (rest.length < 1 || rest.length > 2) {
      throw new IllegalArgumentException("expected a value and an optional timestamp");
    }
    double value = value(rest[0]);
    if (rest.length == 2 && !rest[1].matches("-?[0-9]+")) {
      throw new IllegalArgumentException("bad timestamp '" + rest[1] + "'");
    }
    return new Sample(name, Collections.unmodifiableMap(labels), value);
  }

  private static double value(String text) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!text.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
          throw new IllegalArgumentException("bad value '" + text + "'");
        }
        return Double.parseDouble(text);
    }
  }

  private static String unescapeHelp(String help) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= help.length()) {
        throw new IllegalArgumentException("escape at end of HELP");
      }
      char e = help.charAt(i);
      switch (e) {
        case '\\' -> out.append('\\');
        case 'n' -> out.append('\n');
        default -> throw new IllegalArgumentException("bad escape in HELP \\" + e);
      }
    }
    return out.toString();
  }

  /** The type's rules over a whole family. */
  private static void checkFamily(Family f) {
    switch (f.type) {
      case "counter" -> f.samples.forEach(s -> {
        if (!s.name().equals(f.name) || s.value() < 0 || Double.isNaN(s.value())) {
          throw new IllegalArgumentException("counter " + f.name + ": bad sample " + s);
        }
      });
      case "gauge", "untyped" -> f.samples.forEach(s -> {
        if (!s.name().equals(f.name)) {
          throw new IllegalArgumentException(f.type + " " + f.name + ": bad sample " + s);
        }
      });
      case "histogram" -> checkHistogram(f);
      default -> {
      }
    }
  }

  private static void checkHistogram(Family f) {
    Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
    Set<Map<String, String>> sums = new HashSet<>();
    for (Sample s : f.samples) {
      Map<String, String> rest = new TreeMap<>(s.labels());
      if (s.name().endsWith("_bucket")) {
        String le = rest.remove("le");
        if (le == null) {
          throw new IllegalArgumentException("histogram " + f.name + ": bucket without le " + s);
        }
        value(le);
        buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
      } else if (s.labels().containsKey("le")) {
        throw new IllegalArgumentException("histogram " + f.name + ": le on " + s);
      } else if (s.name().endsWith("_count")) {
        counts.put(rest, s.value());
      } else {
        sums.add(rest);
      }
    }
    for (var e : buckets.entrySet()) {
      double lastLe = Double.NEGATIVE_INFINITY;
      double lastCount = 0;
      for (Sample b : e.getValue()) {
        double le = value(b.labels().get("le"));
        if (le <= lastLe) {
          throw new IllegalArgumentException("histogram " + f.name + ": buckets out of order at " + b);
        }
        if (b.value() < lastCount) {
          throw new IllegalArgumentException("histogram " + f.name + ": buckets not cumulative at " + b);
        }
        lastLe = le;
        lastCount = b.value();
      }
      if (lastLe != Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("histogram " + f.name + e.getKey() + ": no le=\"+Inf\" bucket");
      }
      Double count = counts.get(e.getKey());
      if (count == null || count != lastCount || !sums.contains(e.getKey())) {
        throw new IllegalArgumentException("histogram " + f.name + e.getKey() + ": _count or _sum missing or not the +Inf bucket");
      }
    }
    if (!buckets.keySet().equals(counts.keySet())) {
      throw new IllegalArgumentException("histogram " + f.name + ": a series has _count but no buckets");
    }
  }

  // ---- reading ----------------------------------------------------------------------------------

  Family family(String name) {
    Family f = families.get(name);
    if (f == null) {
      throw new AssertionError("no metric family " + name + " in the exposition");
    }
    return f;
  }

  boolean has(String name) {
    return families.containsKey(name) && !families.get(name).samples.isEmpty();
  }

  /** The value of the one sample named {@code sample} whose labels include {@code labels} (name, value, ...). */
  double value(String sample, String... labels) {
    List<Sample> found = find(sample, labels);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples " + sample + " with " + List.of(labels) + ": " + found);
    }
    return found.get(0).value();
  }

  /** Every sample whose name starts with {@code prefix}. */
  List<Sample> samplesStartingWith(String prefix) {
    List<Sample> out = new ArrayList<>();
    families.values().forEach(f -> f.samples.stream().filter(s -> s.name().startsWith(prefix)).forEach(out::add));
    return out;
  }

  /** Samples named {@code sample} whose labels include {@code labels} (name, value, name, value...). */
  List<Sample> find(String sample, String... labels) {
    List<Sample> out = new ArrayList<>();
    for (Family f : families.values()) {
      for (Sample s : f.samples) {
        if (!s.name().equals(sample)) {
          continue;
        }
        boolean match = true;
        for (int i = 0; i < labels.length; i += 2) {
          match &= labels[i + 1].equals(s.labels().get(labels[i]));
        }
        if (match) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
