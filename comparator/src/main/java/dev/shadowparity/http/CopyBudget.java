package dev.shadowparity.http;

/**
 * Where the bytes of a response copy are reserved while it is held: the tap's byte budget for one exchange, or
 * nothing (replay bounds its memory by its window instead). Called on the copy's event loop.
 */
public interface CopyBudget {

  /** No budget: every reservation succeeds. */
  CopyBudget NONE = new CopyBudget() {
    @Override
    public boolean tryReserve(int bytes) {
      return true;
    }

    @Override
    public void release(long bytes) {}
  };

  /** Reserves the bytes of a chunk about to be kept; false when they do not fit (the copy is then abandoned). */
  boolean tryReserve(int bytes);

  /** Gives back bytes reserved earlier and no longer held (a copy dropped for a digest). */
  void release(long bytes);
}
