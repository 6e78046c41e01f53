package io.mastermind.security;

import java.util.Locale;

/** What a receiver concluded about a message's origin: the first three are accepted, the others refused. */
public enum Verdict {
  /** Sent from this JVM: it never crossed a network. */
  LOCAL,
  /** Arrived from another node, signed with the key it names, fresh. */
  VALID,
  /** Signing is off on this node (no cluster secret): taken as it comes, as before node authentication. */
  UNCHECKED,
  /** Not signed: a plain JSON body, or a sealed one its sender had no key for. */
  UNSIGNED,
  /** Signed with a key this node cannot check (a node key other than its own, without the cluster secret). */
  UNKNOWN_KEY,
  /** The signature does not match: a wrong secret, or bytes changed on the way. */
  BAD_SIGNATURE,
  /** Its timestamp is further from this node's clock than the allowed skew. */
  STALE,
  /** A copy of a message this receiver already took. */
  REPLAYED,
  /** Validly signed, but by a node other than the one it claims to come from, or for another receiver. */
  WRONG_IDENTITY,
  /** Not readable as a sealed message. */
  MALFORMED;

  public boolean accepted() {
    return this == LOCAL || this == VALID || this == UNCHECKED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
