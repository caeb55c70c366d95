package dev.shadowparity.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Reads and validates the YAML configuration. Unknown keys and bad values fail with file, line and key. */
public final class ConfigLoader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private ConfigLoader() {}

  /** Loads a whole file, once: the engine's part and the tap's; {@code null} gives the defaults. */
  public static ConfigFile loadFile(Path file) {
    return file == null ? ConfigFile.DEFAULTS : parseFile(read(file), file.toString());
  }

  /** Parses YAML text as a whole config file; {@code source} names it in error messages. */
  public static ConfigFile parseFile(String yaml, String source) {
    return bind(yaml, source, ConfigFile.class, ConfigFile.DEFAULTS);
  }

  /** Loads the engine's part of a file; {@code null} gives the defaults. */
  public static ParityConfig load(Path file) {
    return loadFile(file).engine();
  }

  /** Loads the tap's part of a file (the top-level tap keys); {@code null} gives the defaults. */
  public static TapConfig loadTap(Path file) {
    return loadFile(file).tap();
  }

  /** Parses the engine's part of YAML text; {@code source} names it in error messages. */
  public static ParityConfig parse(String yaml, String source) {
    return parseFile(yaml, source).engine();
  }

  /** Parses the tap's part of YAML text. */
  public static TapConfig parseTap(String yaml, String source) {
    return parseFile(yaml, source).tap();
  }

  /** A file's text, or a {@link ConfigException} naming it. */
  public static String read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such config file", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
    }
    return text;
  }

  /**
   * Binds YAML text to a type with this loader's strictness (unknown keys, duplicates and bad values fail) and its
   * errors (source, line and key): for other files the user writes, such as a baseline.
   */
  public static <T> T bind(String yaml, String source, Class<T> type, T defaults) {
    if (yaml.isBlank()) {
      return defaults;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode tree = YAML.readTree(yaml);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return defaults; // empty, or only comments
      }
      T config = YAML.readValue(yaml, type);
      return config == null ? defaults : config;
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof com.fasterxml.jackson.core.JsonParseException syntax) {
        throw new ConfigException(source + position(syntax.getLocation()) + ": not valid YAML: " + syntax.getOriginalMessage(), e);
      }
      String path = keyPath(e);
      if (e.getCause() instanceof InvalidValueException v && !v.key().isEmpty()) {
        path = path.isEmpty() ? v.key() : path + "." + v.key();
      }
      JsonLocation where = e.getLocation();
      JsonLocation exact = positionOf(path, yaml);
      if (exact != null) {
        where = exact;
      }
      throw new ConfigException(source + position(where) + ": " + (path.isEmpty() ? "" : path + ": ") + describe(e), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + position(e.getLocation()) + ": not valid YAML: " + firstLine(e.getOriginalMessage()), e);
    }
  }

  private static String position(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) {
      return "";
    }
    return ":" + loc.getLineNr() + ":" + loc.getColumnNr();
  }

  /** Where each key (dotted path, list items as [i]) starts in the YAML text. */
  static Map<String, JsonLocation> keyPositions(String yaml) throws IOException {
    Map<String, JsonLocation> positions = new HashMap<>();
    try (JsonParser p = YAML.getFactory().createParser(yaml)) {
      Deque<String> path = new ArrayDeque<>();
      Deque<int[]> arrayIndex = new ArrayDeque<>();
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case FIELD_NAME:
            positions.put(join(path, p.currentName()), p.currentTokenLocation());
            break;
          case START_OBJECT:
          case START_ARRAY:
            enter(p, path, arrayIndex, positions);
            if (t == JsonToken.START_ARRAY) {
              arrayIndex.push(new int[] {0});
            } else {
              arrayIndex.push(new int[] {-1});
            }
            break;
          case END_OBJECT:
          case END_ARRAY:
            arrayIndex.pop();
            if (!path.isEmpty()) {
              path.pop();
            }
            break;
          default:
            enter(p, path, arrayIndex, positions);
            if (!path.isEmpty()) {
              path.pop();
            }
            break;
        }
      }
    }
    return positions;
  }

  /** Pushes the path element of the value that starts here (its key, or its index in a list). */
  private static void enter(JsonParser p, Deque<String> path, Deque<int[]> arrayIndex, Map<String, JsonLocation> positions)
      throws IOException {
    if (arrayIndex.isEmpty()) {
      return; // the root
    }
    int[] idx = arrayIndex.peek();
    String element;
    if (idx[0] >= 0) {
      element = "[" + idx[0]++ + "]";
      positions.put(join(path, element), p.currentTokenLocation());
    } else {
      element = p.currentName();
    }
    path.push(element);
  }

  private static String join(Deque<String> path, String last) {
    StringBuilder sb = new StringBuilder();
    java.util.Iterator<String> it = path.descendingIterator();
    while (it.hasNext()) {
      append(sb, it.next());
    }
    append(sb, last);
    return sb.toString();
  }

  private static void append(StringBuilder sb, String element) {
    if (!element.startsWith("[") && sb.length() > 0) {
      sb.append('.');
    }
    sb.append(element);
  }

  private static JsonLocation positionOf(String path, String yaml) {
    if (path.isEmpty()) {
      return null;
    }
    try {
      return keyPositions(yaml).get(path);
    } catch (IOException e) {
      return null; // the text parsed once already; no better position to offer than Jackson's
    }
  }

  private static String keyPath(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String describe(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      java.util.Set<String> knownKeys = new java.util.TreeSet<>();
      if (u.getKnownPropertyIds() != null) {
        u.getKnownPropertyIds().forEach(k -> knownKeys.add(k.toString()));
      }
      String known = String.join(", ", knownKeys);
      return "unknown key '" + u.getPropertyName() + "'" + (known.isEmpty() ? "" : " (known keys here: " + known + ")");
    }
    if (e instanceof InvalidFormatException f) {
      return "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType());
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return v.getCause().getMessage();
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + simpleType(m.getTargetType());
    }
    return firstLine(e.getOriginalMessage());
  }

  private static String simpleType(Class<?> type) {
    if (type == null) {
      return "value";
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "whole number";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean (true or false)";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping (key: value)";
    }
    if (type == String.class) {
      return "string";
    }
    return type.getSimpleName();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
