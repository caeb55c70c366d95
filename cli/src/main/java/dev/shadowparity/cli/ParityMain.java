package dev.shadowparity.cli;

import java.io.PrintWriter;
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
    subcommands = {CompareCommand.class, TapCommand.class, DemoCommand.class, ReplayCommand.class, ReportCommand.class,
        AcceptCommand.class,
        GateCommand.class, CommandLine.HelpCommand.class})
public final class ParityMain {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns the exit code (0 ok/equal, 1 different, 2 usage or input error). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** As {@link #run(String...)}, writing to the given streams. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new ParityMain());
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

  /** Version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ParityMain.class.getPackage().getImplementationVersion();
      return new String[] {"parity " + (v == null ? "development build" : v)};
    }
  }
}
