package dev.shadowparity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line is built with only the subcommand it names, and behaves as one with all of them. */
class ParityMainTest {

  private static final String[] ALL = {"compare", "tap", "demo", "replay", "report", "accept", "gate", "help"};

  @Test
  void aNamedSubcommand_isTheOnlyOneBuilt() {
    assertThat(ParityMain.commandLine("tap", "--old", "http://a").getSubcommands()).containsOnlyKeys("tap");
    assertThat(ParityMain.commandLine("gate").getSubcommands()).containsOnlyKeys("gate");
  }

  @Test
  void noSubcommand_helpOrAnUnknownOne_getsThemAll_inHelpOrder() {
    for (String[] args : new String[][] {{}, {"--help"}, {"help", "tap"}, {"tapx"}, {"-V"}}) {
      assertThat(ParityMain.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args)).containsExactly(ALL);
    }
  }

  @Test
  void helpOutputAndErrors_areThoseOfTheWholeCommand() {
    assertThat(run("--help")).contains("compare", "replay", "gate").contains("Commands:");
    assertThat(run("help", "tap")).startsWith("Usage: parity tap");
    assertThat(run("tap", "--help")).startsWith("Usage: parity tap");
    assertThat(run("tapx")).contains("Unmatched argument at index 0: 'tapx'");
  }

  private static String run(String... args) {
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(text, true);
    ParityMain.run(w, w, args);
    return text.toString();
  }
}
