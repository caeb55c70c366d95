package dev.shadowparity.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.shadowparity.config.ConfigException;
import dev.shadowparity.config.ConfigLoader;
import dev.shadowparity.engine.Difference;
import dev.shadowparity.ledger.Acceptance;
import dev.shadowparity.report.BaselineUse;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A reviewed baseline: the differences a team accepted as known and intended ({@link BaselineEntry}), read from a
 * YAML file meant to be committed next to the code. An accepted difference is listed as accepted and never counted
 * as a mismatch; an entry that no longer occurs is reported as stale. Immutable and thread-safe.
 *
 * <pre>
 * accepted:
 *   - field: header:access-control-allow-origin
 *     kind: value
 *     endpoints: ["*"]
 *     new: "*"
 *     reason: NEW's blanket CORS policy, reviewed by security (SEC-112)
 *     by: alice
 *     at: 2026-12-06T04:10:00Z
 * </pre>
 */
public final class Baseline implements Acceptance {

  /** No baseline: nothing accepted. */
  public static final Baseline NONE = new Baseline(null, List.of());

  static final String HEADER = """
      # Shadow Parity baseline: differences between OLD and NEW that are known and intended.
      # Each entry is listed as accepted in reports and never counted as a mismatch. Review it like code.
      # Written by `parity accept` (and the admin page); values: "text" exactly, or /regex/ for the whole value.
      """;

  private static final ObjectMapper WRITER = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR))
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);

  /** The file's form. */
  record BaselineFile(List<BaselineEntry> accepted) {
    BaselineFile {
      accepted = accepted == null ? List.of() : List.copyOf(accepted);
    }
  }

  private record Compiled(BaselineEntry entry, String id, Predicate<String> old, Predicate<String> neu) {}

  private final Path file;
  private final List<BaselineEntry> entries;
  private final List<Compiled> compiled;

  private Baseline(Path file, List<BaselineEntry> entries) {
    this.file = file;
    this.entries = List.copyOf(entries);
    List<Compiled> c = new ArrayList<>(entries.size());
    for (BaselineEntry e : entries) {
      c.add(new Compiled(e, e.id(), e.condition(e.old()), e.condition(e.neu())));
    }
    this.compiled = List.copyOf(c);
  }

  /**
   * Reads a baseline file; one that does not exist yet is an empty baseline of that file (the first
   * {@code parity accept} creates it).
   *
   * @throws ConfigException for a file that cannot be read or holds a bad entry (file, line and key named)
   */
  public static Baseline load(Path file) {
    if (!Files.exists(file)) {
      return new Baseline(file, List.of());
    }
    return parse(ConfigLoader.read(file), file);
  }

  /** A baseline from YAML text; {@code file} names it in errors and is where {@link #write} goes. */
  public static Baseline parse(String yaml, Path file) {
    BaselineFile f = ConfigLoader.bind(yaml, String.valueOf(file), BaselineFile.class, new BaselineFile(null));
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < f.accepted().size(); i++) {
      Integer before = seen.putIfAbsent(f.accepted().get(i).id(), i);
      if (before != null) {
        throw new ConfigException(file + ": accepted[" + i + "] accepts the same difference as accepted[" + before
            + "] (field, kind, endpoints and values): keep one", null);
      }
    }
    return new Baseline(file, f.accepted());
  }

  /** The file it was read from, or {@code null}. */
  public Path file() {
    return file;
  }

  public List<BaselineEntry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The id of the first entry that accepts this difference of this endpoint, or {@code null}. */
  @Override
  public String accept(String endpoint, Difference d) {
    for (Compiled c : compiled) {
      BaselineEntry e = c.entry();
      if (d.field().equals(e.field()) && (e.kind() == null || e.kind().equals(d.kind().wireName())) && e.covers(endpoint)
          && c.old().test(d.oldValue()) && c.neu().test(d.newValue())) {
        return c.id();
      }
    }
    return null;
  }

  /** The entry with this id, or {@code null}. */
  public BaselineEntry entry(String id) {
    for (Compiled c : compiled) {
      if (c.id().equals(id)) {
        return c.entry();
      }
    }
    return null;
  }

  /**
   * This baseline with one more entry.
   *
   * @throws IllegalArgumentException when an entry accepting the same thing is there already
   */
  public Baseline with(BaselineEntry entry) {
    BaselineEntry same = entry(entry.id());
    if (same != null) {
      throw new IllegalArgumentException("already accepted (entry " + entry.id() + ", by " + same.by() + ": " + same.reason() + ")");
    }
    List<BaselineEntry> more = new ArrayList<>(entries);
    more.add(entry);
    return new Baseline(file, more);
  }

  /**
   * What each entry did in a report's evidence ({@link BaselineUse}): how many exchanges it accepted, and whether it
   * is in use, only matches mismatches recorded before it was applied, stale, or without evidence.
   */
  public List<BaselineUse> uses(Report report) {
    List<BaselineUse> uses = new ArrayList<>(compiled.size());
    for (Compiled c : compiled) {
      BaselineEntry e = c.entry();
      long accepted = 0;
      boolean compared = false;
      boolean recorded = false;
      for (EndpointReport r : report.endpoints()) {
        accepted += r.acceptedBy().getOrDefault(c.id(), 0L);
        if (e.covers(r.endpoint())) {
          compared |= r.compared() > 0;
          for (EndpointReport.FieldCount f : r.fields()) {
            recorded |= f.field().equals(e.field()) && (e.kind() == null || e.kind().equals(f.kind()));
          }
        }
      }
      String state = accepted > 0 ? BaselineUse.IN_USE : recorded ? BaselineUse.RECORDED
          : compared ? BaselineUse.STALE : BaselineUse.NO_EVIDENCE;
      uses.add(new BaselineUse(c.id(), e.field(), e.kind(), e.endpoints(), e.old(), e.neu(), e.reason(), e.by(), e.at(),
          accepted, state));
    }
    return uses;
  }

  /** The file's text: a header comment, then the entries. */
  public String toYaml() {
    try {
      return HEADER + WRITER.writeValueAsString(new BaselineFile(entries));
    } catch (IOException e) {
      throw new IllegalStateException("a baseline always serializes", e);
    }
  }

  /**
   * Adds an entry to a baseline file as it is now, not as some process read it earlier: under a lock on a file
   * beside it ({@code .NAME.lock}, so that {@code parity accept} and a tap's page never lose each other's entries),
   * the file is read again, the entry added and the file written.
   *
   * @return the baseline now in the file
   * @throws IllegalArgumentException when the file already holds an entry accepting the same thing
   * @throws ConfigException when the file holds a bad entry
   */
  public static Baseline append(Path file, BaselineEntry entry) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path lock = dir.resolve("." + file.getFileName() + ".lock");
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock held = ch.lock()) {
      Baseline next = load(file).with(entry);
      next.write();
      return next;
    }
  }

  /**
   * Writes the file atomically (a temporary file beside it, then a rename): a reader never sees half of it. A file
   * that is a symbolic link is written where it points; the file keeps its permissions.
   */
  public void write() throws IOException {
    if (file == null) {
      throw new IllegalStateException("this baseline has no file");
    }
    Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".baseline", ".tmp");
    try {
      Files.writeString(tmp, toYaml(), StandardCharsets.UTF_8);
      if (Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
        // a temporary file is private (0600); the baseline is a file of the repository, readable as it was before
        Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
            : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
