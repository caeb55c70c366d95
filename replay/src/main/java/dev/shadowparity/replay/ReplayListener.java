package dev.shadowparity.replay;

/** Told of input problems as they are found, so that they can be shown at once; called from the reading thread. */
public interface ReplayListener {

  ReplayListener NONE = new ReplayListener() {
    @Override
    public void corrupt(InputProblem problem) {
      // nothing: the problems are in the result as well
    }
  };

  /** A record that could not be read; the replay goes on. */
  void corrupt(InputProblem problem);
}
