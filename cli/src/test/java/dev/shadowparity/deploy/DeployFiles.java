package dev.shadowparity.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shipped deployment files, read as files: every YAML document under {@code deploy/}, the root
 * {@code Dockerfile} and the {@code parity} launcher's JVM options.
 */
public final class DeployFiles {

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  static final ObjectMapper JSON = new ObjectMapper();

  /** The repository, from the build (cli/pom.xml) or relative to the cli module when run from an IDE. */
  static final Path ROOT = Path.of(System.getProperty("parity.root", "..")).toAbsolutePath().normalize();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
  static final Path DOCKERIGNORE = ROOT.resolve(".dockerignore");
  static final Path LAUNCHER = ROOT.resolve("parity");
  static final Path DASHBOARD_SCRAPE_CONFIG = ROOT.resolve("dashboards/prometheus.yml");

  /** Kinds that live in a namespace (everything the example ships but the Namespace itself). */
  static final List<String> CLUSTER_KINDS = List.of("Namespace", "ClusterRole", "ClusterRoleBinding", "Kustomization");

  /** Kinds whose pod template is at {@code spec.template}. */
  static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "Rollout", "DaemonSet");

  private DeployFiles() {}

  /** One YAML document of a file. */
  record Doc(Path file, int index, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    String namespace() {
      return node.path("metadata").path("namespace").asText();
    }

    String where() {
      return ROOT.relativize(file) + " document " + (index + 1) + " (" + kind() + " " + name() + ")";
    }
  }

  /** A pod spec found in a document: a workload's template, or the Job of an AnalysisTemplate metric. */
  record Pod(Doc doc, String where, JsonNode labels, JsonNode annotations, JsonNode spec) {
    List<JsonNode> containers() {
      List<JsonNode> out = new ArrayList<>();
      spec.path("initContainers").forEach(out::add);
      spec.path("containers").forEach(out::add);
      return out;
    }

    Optional<JsonNode> container(String name) {
      return containers().stream().filter(c -> c.path("name").asText().equals(name)).findFirst();
    }

    String where(JsonNode container) {
      return where + " container " + container.path("name").asText();
    }
  }

  /** Every YAML file under deploy/, sorted. */
  static List<Path> yamlFiles() {
    try (Stream<Path> s = Files.walk(DEPLOY)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every non-empty document of every YAML file under deploy/; a file that does not parse fails here. */
  static List<Doc> docs() {
    List<Doc> out = new ArrayList<>();
    for (Path file : yamlFiles()) {
      try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
        int i = 0;
        while (it.hasNext()) {
          JsonNode n = it.next();
          if (n != null && !n.isNull() && !n.isMissingNode() && !(n.isObject() && n.isEmpty())) {
            out.add(new Doc(file, i, n));
          }
          i++;
        }
      } catch (IOException e) {
        throw new AssertionError(ROOT.relativize(file) + " is not valid YAML: " + e.getMessage(), e);
      }
    }
    return out;
  }

  static List<Doc> ofKind(List<Doc> docs, String kind) {
    return docs.stream().filter(d -> d.kind().equals(kind)).toList();
  }

  static Doc one(List<Doc> docs, String kind, String name) {
    return docs.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("deploy/ has no " + kind + " named '" + name + "'"));
  }

  static Optional<Doc> find(List<Doc> docs, String kind, String name) {
    return docs.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst();
  }

  /** Every pod spec of the documents: workload templates and AnalysisTemplate Jobs. */
  static List<Pod> pods(List<Doc> docs) {
    List<Pod> out = new ArrayList<>();
    for (Doc d : docs) {
      if (WORKLOAD_KINDS.contains(d.kind())) {
        JsonNode t = d.node().path("spec").path("template");
        out.add(new Pod(d, d.where(), t.path("metadata").path("labels"), t.path("metadata").path("annotations"),
            t.path("spec")));
      } else if (d.kind().equals("AnalysisTemplate")) {
        for (JsonNode m : d.node().path("spec").path("metrics")) {
          JsonNode t = m.path("provider").path("job").path("spec").path("template");
          if (!t.isMissingNode()) {
            out.add(new Pod(d, d.where() + " metric " + m.path("name").asText(), t.path("metadata").path("labels"),
                t.path("metadata").path("annotations"), t.path("spec")));
          }
        }
      }
    }
    return out;
  }

  /** The pods whose labels include every entry of {@code selector}, in the selector's namespace. */
  static List<Pod> selected(List<Pod> pods, String namespace, JsonNode selector) {
    return pods.stream()
        .filter(p -> WORKLOAD_KINDS.contains(p.doc().kind()) && p.doc().namespace().equals(namespace))
        .filter(p -> {
          var it = selector.fields();
          boolean any = false;
          while (it.hasNext()) {
            var e = it.next();
            any = true;
            if (!p.labels().path(e.getKey()).asText("\0").equals(e.getValue().asText())) {
              return false;
            }
          }
          return any;
        }).toList();
  }

  /** A container's env entry by name, or a missing node. */
  static JsonNode env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** A container port by name, or a missing node. */
  static JsonNode port(JsonNode container, String name) {
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals(name)) {
        return p;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** A port reference of a probe or Service (a name or a number) as a number, given the container's ports. */
  static int portNumber(JsonNode ref, List<JsonNode> containers) {
    if (ref.isInt() || ref.asText().matches("\\d+")) {
      return Integer.parseInt(ref.asText());
    }
    for (JsonNode c : containers) {
      JsonNode p = port(c, ref.asText());
      if (!p.isMissingNode()) {
        return p.path("containerPort").asInt();
      }
    }
    return -1;
  }

  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /**
   * A container's args with {@code $(VAR)} replaced as the kubelet does: a literal env value, or for the
   * downward API's {@code metadata.name} the given pod name. An undefined variable is an assertion error (the
   * kubelet would pass {@code $(VAR)} through literally).
   */
  static List<String> resolvedArgs(JsonNode container, String podName) {
    List<String> out = new ArrayList<>();
    for (JsonNode a : container.path("args")) {
      Matcher m = VAR.matcher(a.asText());
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        JsonNode e = env(container, m.group(1));
        String value;
        if (e.has("value")) {
          value = e.path("value").asText();
        } else if (e.path("valueFrom").path("fieldRef").path("fieldPath").asText().equals("metadata.name")) {
          value = podName;
        } else {
          throw new AssertionError("container " + container.path("name").asText() + ": argument '" + a.asText()
              + "' refers to $(" + m.group(1) + "), which its env does not define as a value or the pod's name");
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(value));
      }
      m.appendTail(sb);
      out.add(sb.toString());
    }
    return out;
  }

  /** The value of {@code --name=value} or {@code --name value} in an argument list, if given. */
  static Optional<String> option(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith(name + "=")) {
        return Optional.of(a.substring(name.length() + 1));
      }
      if (a.equals(name) && i + 1 < args.size()) {
        return Optional.of(args.get(i + 1));
      }
    }
    return Optional.empty();
  }

  /** A Kubernetes memory quantity in bytes: 768Mi, 1Gi, 512M, 1000000. */
  static long bytes(String quantity) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?").matcher(quantity.trim());
    if (!m.matches()) {
      throw new AssertionError("not a memory quantity: '" + quantity + "'");
    }
    double n = Double.parseDouble(m.group(1));
    long unit = switch (m.group(2) == null ? "" : m.group(2)) {
      case "Ki" -> 1L << 10;
      case "Mi" -> 1L << 20;
      case "Gi" -> 1L << 30;
      case "Ti" -> 1L << 40;
      case "k" -> 1_000L;
      case "M" -> 1_000_000L;
      case "G" -> 1_000_000_000L;
      case "T" -> 1_000_000_000_000L;
      default -> 1L;
    };
    return (long) (n * unit);
  }

  /** The {@code -Xmx} of JVM options in bytes, or -1 when not set. */
  static long maxHeap(String javaOpts) {
    Matcher m = Pattern.compile("(?:^|\\s)-Xmx(\\d+)([kKmMgG]?)(?=\\s|$)").matcher(javaOpts);
    if (!m.find()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }

  /**
   * The launcher's default JVM options per subcommand pattern of its {@code case}, e.g. {@code tap|demo} and
   * {@code *}, in order.
   */
  static Map<String, String> launcherOptions() {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*([a-z*|]+)\\)\\s*default_opts=\"([^\"]*)\"").matcher(read(LAUNCHER));
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    if (out.isEmpty()) {
      throw new AssertionError("the launcher " + LAUNCHER + " has no 'CMD) default_opts=\"...\"' lines any more");
    }
    return out;
  }

  /** The launcher's default JVM options for one subcommand, as its {@code case} picks them. */
  public static String launcherOptions(String subcommand) {
    for (Map.Entry<String, String> e : launcherOptions().entrySet()) {
      for (String pattern : e.getKey().split("\\|")) {
        if (pattern.equals(subcommand) || pattern.equals("*")) {
          return e.getValue();
        }
      }
    }
    throw new AssertionError("the launcher has no JVM options for '" + subcommand + "'");
  }

  /** One instruction of the Dockerfile: its keyword (upper case), arguments, and the stage it is in. */
  record Instruction(String keyword, String args, int stage) {}

  /** The Dockerfile's instructions, continuation lines joined and comments dropped. */
  static List<Instruction> dockerfile() {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int stage = -1;
    for (String raw : read(DOCKERFILE).split("\n", -1)) {
      String line = raw.strip();
      if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String text = current.toString().strip();
      current.setLength(0);
      int space = text.indexOf(' ');
      String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
      String args = space < 0 ? "" : text.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        stage++;
      }
      out.add(new Instruction(keyword, args, stage));
    }
    return out;
  }

  /** {@code KEY=value} or {@code KEY="value with spaces"} pairs of an ENV instruction. */
  static Map<String, String> envPairs(String args) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))").matcher(args);
    while (m.find()) {
      out.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
    }
    return out;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
