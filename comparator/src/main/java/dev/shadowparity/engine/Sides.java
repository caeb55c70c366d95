package dev.shadowparity.engine;

/**
 * Which stacks gave the two answers of a comparison. A gRPC answer is read with its own stack's types (server
 * reflection may give OLD and NEW different schemas): NEW's with NEW's, OLD's with OLD's, so two OLD answers compared
 * to learn noise are both read with OLD's types (docs/protocols.md, "gRPC").
 */
public enum Sides {
  /** OLD's answer against NEW's: the comparison that is judged. */
  OLD_NEW,
  /** Two answers of OLD (a secondary OLD, a repeated request): compared to learn noise. */
  OLD_OLD
}
