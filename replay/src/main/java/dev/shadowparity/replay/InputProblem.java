package dev.shadowparity.replay;

/**
 * A record of a capture file that could not be replayed as it is.
 *
 * @param file     the file
 * @param position where in it, e.g. {@code line 12}
 * @param problem  what is wrong
 */
public record InputProblem(String file, String position, String problem) {

  @Override
  public String toString() {
    return file + ": " + position + ": " + problem;
  }
}
