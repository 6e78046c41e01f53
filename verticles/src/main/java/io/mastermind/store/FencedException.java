package io.mastermind.store;

/** A write from a leader whose epoch was superseded: it no longer leads and must not write. */
public final class FencedException extends RuntimeException {

  public FencedException(long epoch, long current) {
    super("write of epoch " + epoch + " refused: the cluster is at epoch " + current);
  }
}
