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
import java.util.stream.Collectors;

/** Reads and validates the YAML configuration. Unknown keys and bad values fail with file, line and key. */
public final class ConfigLoader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private ConfigLoader() {}

  /** Loads a file; {@code null} gives the defaults. */
  public static ParityConfig load(Path file) {
    if (file == null) {
      return ParityConfig.DEFAULTS;
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such config file", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses YAML text; {@code source} names it in error messages. */
  public static ParityConfig parse(String yaml, String source) {
    if (yaml.isBlank()) {
      return ParityConfig.DEFAULTS;
    }
    try {
      ParityConfig config = YAML.readValue(yaml, ParityConfig.class);
      return config == null ? ParityConfig.DEFAULTS : config;
    } catch (JsonMappingException e) {
      throw new ConfigException(source + position(e.getLocation()) + ": " + keyPath(e) + describe(e), e);
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
    return sb.length() == 0 ? "" : sb + ": ";
  }

  private static String describe(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      return "unknown key '" + u.getPropertyName() + "'" + (known.isEmpty() ? "" : " (known keys here: " + known + ")");
    }
    if (e instanceof InvalidFormatException f) {
      return "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType());
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return v.getCause().getMessage();
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + simpleType(m.getTargetType()) + " (" + firstLine(m.getOriginalMessage()) + ")";
    }
    return firstLine(e.getOriginalMessage());
  }

  private static String simpleType(Class<?> type) {
    if (type == null) {
      return "value";
    }
    if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
      return "number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "boolean (true or false)";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "list";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "mapping (key: value)";
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
