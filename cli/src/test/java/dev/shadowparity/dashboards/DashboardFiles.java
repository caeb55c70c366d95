package dev.shadowparity.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped files of {@code dashboards/} and the PromQL they hold: every panel target, every variable query
 * and every rule, with Grafana's variables substituted the way Grafana would.
 */
final class DashboardFiles {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The folder, from the build (cli/pom.xml) or relative to the cli module when run from an IDE. */
  static final Path DIR = Path.of(System.getProperty("parity.dashboards", "../dashboards")).toAbsolutePath().normalize();
  static final Path DASHBOARD = DIR.resolve("parity-dashboard.json");
  static final Path RULES = DIR.resolve("parity-alerts.yml");
  static final Path SCRAPE_CONFIG = DIR.resolve("prometheus.yml");
  static final Path README = DIR.resolve("README.md");
  static final Path PROVISIONING = DIR.resolve("grafana/provisioning");
  /** The job of the taps in the shipped scrape config. */
  static final String JOB = "parity-tap";

  /** One PromQL expression of a panel: where it comes from (for messages), the panel title and the ref id. */
  record PanelQuery(int panelId, String title, String refId, String expr) {
    String where() {
      return "panel " + panelId + " '" + title + "' target " + refId;
    }
  }

  /** One rule of the rule file: {@code name} is the alert or recorded series name. */
  record Rule(String name, boolean alert, String expr) {}

  /** A query variable: name and its query as written ({@code label_values(...)} or PromQL). */
  record Variable(String name, String type, String query) {}

  private DashboardFiles() {}

  static JsonNode dashboard() {
    return read(JSON, DASHBOARD);
  }

  static JsonNode yaml(Path file) {
    return read(YAML, file);
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static List<PanelQuery> panelQueries() {
    List<PanelQuery> out = new ArrayList<>();
    for (JsonNode panel : dashboard().path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(new PanelQuery(panel.path("id").asInt(), panel.path("title").asText(), target.path("refId").asText(),
            target.path("expr").asText()));
      }
    }
    return out;
  }

  /** The panel query with this title and ref id; fails when the dashboard has none (a renamed panel). */
  static PanelQuery panelQuery(String title, String refId) {
    return panelQueries().stream().filter(q -> q.title().equals(title) && q.refId().equals(refId)).findFirst()
        .orElseThrow(() -> new AssertionError("the dashboard has no panel '" + title + "' with target " + refId));
  }

  static List<Variable> variables() {
    List<Variable> out = new ArrayList<>();
    for (JsonNode v : dashboard().path("templating").path("list")) {
      JsonNode q = v.path("query");
      out.add(new Variable(v.path("name").asText(), v.path("type").asText(), q.isObject() ? q.path("query").asText() : q.asText()));
    }
    return out;
  }

  static List<Rule> rules() {
    List<Rule> out = new ArrayList<>();
    for (JsonNode group : yaml(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        boolean alert = rule.has("alert");
        out.add(new Rule(rule.path(alert ? "alert" : "record").asText(), alert, rule.path("expr").asText()));
      }
    }
    return out;
  }

  // ---- Grafana variable substitution

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)|\\[\\[(\\w+)]]");

  /**
   * Replaces {@code $name}, {@code ${name}} and {@code [[name]]} with their values; an unknown variable fails,
   * so a typo in the dashboard cannot pass as a literal.
   */
  static String substitute(String expr, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("unknown variable $" + name + " in: " + expr);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * A literal value as a regex inside a PromQL string, the way Grafana's Prometheus datasource escapes a
   * selected value of a multi-value variable: RE2 metacharacters get a backslash, itself escaped for the string.
   */
  static String regexLiteral(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : value.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        out.append("\\\\");
      }
      out.append(c);
    }
    return out.toString();
  }

  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((?:(.*),)?\\s*(\\w+)\\s*\\)\\s*$",
      Pattern.DOTALL);

  /**
   * A variable query as PromQL: Grafana's {@code label_values(selector, label)} is not PromQL, so it becomes
   * {@code count by (label) (selector)}, whose result carries exactly the label values Grafana would list.
   * Returns the label to read, and the PromQL.
   */
  static Map.Entry<String, String> variableQueryAsPromQl(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    if (!m.matches()) {
      return null;
    }
    String label = m.group(2);
    String selector = m.group(1) == null ? "{" + label + "!=\"\"}" : m.group(1).trim();
    return Map.entry(label, "count by (" + label + ") (" + selector + ")");
  }

  // ---- threshold comparisons of alert expressions

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final List<String> SET_OPERATORS = List.of("and", "or", "unless");

  /**
   * The operands of an expression's top-level comparisons and set operators ({@code a / (b > 0) > 0.01}
   * gives {@code a / (b > 0)}), without the numeric thresholds: what an alert compares, which must have data
   * even while the alert does not fire. Operators inside parentheses, brackets, braces and strings are left
   * alone. Fails on vector-matching modifiers after a top-level operator, which this does not split.
   */
  static List<String> comparedOperands(String expr) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    int start = 0;
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      switch (c) {
        case '"', '\'', '`' -> quote = c;
        case '(', '[', '{' -> depth++;
        case ')', ']', '}' -> depth--;
        default -> {
          if (depth == 0) {
            int len = operatorLength(expr, i);
            if (len > 0) {
              parts.add(expr.substring(start, i));
              i += len - 1;
              start = i + 1;
            }
          }
        }
      }
    }
    parts.add(expr.substring(start));
    List<String> operands = new ArrayList<>();
    for (String p : parts) {
      String t = p.strip();
      if (t.matches("(?s)^(bool|on|ignoring|group_left|group_right)\\b.*")) {
        throw new IllegalArgumentException("cannot split a comparison with modifiers: " + expr);
      }
      if (!NUMBER.matcher(t).matches()) {
        operands.add(t);
      }
    }
    return operands;
  }

  private static int operatorLength(String s, int i) {
    for (String op : List.of("==", "!=", ">=", "<=")) {
      if (s.startsWith(op, i)) {
        return 2;
      }
    }
    char c = s.charAt(i);
    if (c == '>' || c == '<') {
      return 1;
    }
    for (String op : SET_OPERATORS) {
      if (s.startsWith(op, i) && (i == 0 || !isWordChar(s.charAt(i - 1)))
          && (i + op.length() == s.length() || !isWordChar(s.charAt(i + op.length())))) {
        return op.length();
      }
    }
    return 0;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }
}
