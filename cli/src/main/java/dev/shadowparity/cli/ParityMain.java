package dev.shadowparity.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parity} command. */
@Command(name = "parity",
    mixinStandardHelpOptions = true,
    versionProvider = ParityMain.Version.class,
    description = {
        "Shadow Parity: proves, endpoint by endpoint, that a new backend answers like the old one.",
        ""
    },
    // the subcommands are added by commandLine(...): only the one a command line names, when it names one
    subcommands = {})
public final class ParityMain {

  /** The subcommands, in the order {@code parity --help} lists them. */
  private static final List<Class<?>> SUBCOMMANDS = List.of(CompareCommand.class, TapCommand.class, DemoCommand.class,
      ReplayCommand.class, ReportCommand.class, AcceptCommand.class, GateCommand.class, CommandLine.HelpCommand.class);

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns the exit code (0 ok/equal, 1 different, 2 usage or input error). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** As {@link #run(String...)}, writing to the given streams. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(t -> ExitCodes.BAD_INPUT);
    cli.setParameterExceptionHandler((ex, a) -> {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("parity: " + ex.getMessage());
      cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
      return ExitCodes.BAD_INPUT;
    });
    return cli.execute(args);
  }

  /**
   * The {@code parity} command line for these arguments: when the first names a subcommand, with that subcommand only,
   * else with all of them (for {@code --help}, {@code help tap}, or the error that lists them). picocli builds a model
   * of every command it is given by reflection; building one instead of eight takes a fifth of a second off the start
   * of a tap on a busy 2-core machine (bench/README.md, "Start-up").
   */
  public static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new ParityMain());
    Class<?> named = null;
    if (args.length > 0) {
      for (Class<?> c : SUBCOMMANDS) {
        Command command = c.getAnnotation(Command.class);
        if (c != CommandLine.HelpCommand.class && command.name().equals(args[0])) {
          named = c;
          break;
        }
      }
    }
    for (Class<?> c : named == null ? SUBCOMMANDS : List.of(named)) {
      cli.addSubcommand(newInstance(c));
    }
    return cli;
  }

  private static Object newInstance(Class<?> c) {
    try {
      java.lang.reflect.Constructor<?> constructor = c.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create the " + c.getSimpleName() + " command", e);
    }
  }

  /** Version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ParityMain.class.getPackage().getImplementationVersion();
      return new String[] {"parity " + (v == null ? "development build" : v)};
    }
  }
}
