package io.mastermind.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * HMAC-SHA256 over the bytes of a message, with one key per node. Pure Java, no Vert.x.
 *
 * <p>Keys: every node id {@code n} has the key {@code K(n) = HMAC-SHA256(secret, "mastermind/node-key/v1:" + n)},
 * derived from the cluster secret. A signer built on the cluster secret ({@link #master}) can sign and
 * verify as any node: coordinators need that, since they check every node's messages and sign the
 * messages they send to each. A signer built on one node's own key ({@link #node}) signs and verifies
 * only as that node, so a member holding just its node key cannot pass itself off as another node.
 * The key that verifies a message is its author's identity ({@code kid}, "key id"): a message whose
 * {@code sender} is not its {@code kid} is a forgery.
 *
 * <p>Implementation notes: a {@link Mac} is not thread-safe and {@code Mac.init} costs two SHA-256
 * blocks, so each thread keeps one initialised {@code Mac} per key id (bounded; a cluster has a
 * handful of nodes). Comparison is constant-time ({@link MessageDigest#isEqual}).
 */
public final class EnvelopeSigner {

  public static final String ALGORITHM = "HmacSHA256";
  /** Length of a signature, in bytes. */
  public static final int MAC_LENGTH = 32;
  /** Shortest accepted cluster secret, in bytes of UTF-8. */
  public static final int MIN_SECRET_BYTES = 16;
  private static final String DERIVATION_PREFIX = "mastermind/node-key/v1:";
  private static final int MAX_CACHED_KEYS_PER_THREAD = 4096;

  /** The cluster secret, or null for a signer that holds only {@link #ownId}'s key. */
  private final byte[] master;
  /** With a node key only: the one id it can sign and verify as. */
  private final String ownId;
  private final byte[] ownKey;
  private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

  private EnvelopeSigner(byte[] master, String ownId, byte[] ownKey) {
    this.master = master;
    this.ownId = ownId;
    this.ownKey = ownKey;
  }

  /** A signer holding the cluster secret: it signs and verifies as any node. */
  public static EnvelopeSigner master(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("cluster.secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    return new EnvelopeSigner(bytes, null, null);
  }

  /** A signer holding only {@code nodeId}'s key ({@link #nodeKeyHex} of the cluster secret). */
  public static EnvelopeSigner node(String nodeId, String nodeKeyHex) {
    byte[] key;
    try {
      key = HexFormat.of().parseHex(nodeKeyHex.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cluster.nodeKey must be hexadecimal", e);
    }
    if (key.length != MAC_LENGTH) {
      throw new IllegalArgumentException("cluster.nodeKey must be " + MAC_LENGTH * 2 + " hex digits");
    }
    return new EnvelopeSigner(null, nodeId, key);
  }

  /** The key of node {@code nodeId} under the cluster secret, as hex (what {@code cluster.nodeKey} takes). */
  public static String nodeKeyHex(String secret, String nodeId) {
    return HexFormat.of().formatHex(derive(secret.getBytes(StandardCharsets.UTF_8), nodeId));
  }

  private static byte[] derive(byte[] master, String nodeId) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(master, ALGORITHM));
      return mac.doFinal((DERIVATION_PREFIX + nodeId).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** True when this signer holds the key of {@code kid}. */
  public boolean canUse(String kid) {
    return kid != null && (master != null || kid.equals(ownId));
  }

  /** True when built on the cluster secret (it may sign as any node). */
  public boolean holdsSecret() {
    return master != null;
  }

  /**
   * The signature of {@code data} (from its position to its limit, which it leaves unchanged) under
   * {@code kid}'s key, or null when this signer does not hold that key.
   */
  public byte[] sign(String kid, ByteBuffer data) {
    Mac mac = mac(kid);
    if (mac == null) {
      return null;
    }
    mac.update(data.duplicate());
    return mac.doFinal();
  }

  /** As {@link #sign(String, ByteBuffer)}, over a whole array. */
  public byte[] sign(String kid, byte[] data) {
    return sign(kid, ByteBuffer.wrap(data));
  }

  /** True when {@code signature} is {@code kid}'s signature of {@code data}; false for a key this signer lacks. */
  public boolean verify(String kid, ByteBuffer data, byte[] signature) {
    if (signature == null || signature.length != MAC_LENGTH) {
      return false;
    }
    byte[] expected = sign(kid, data);
    return expected != null && MessageDigest.isEqual(expected, signature);
  }

  private Mac mac(String kid) {
    if (!canUse(kid)) {
      return null;
    }
    Map<String, Mac> cache = macs.get();
    Mac mac = cache.get(kid);
    if (mac == null) {
      if (cache.size() >= MAX_CACHED_KEYS_PER_THREAD) {
        cache.clear(); // ids are bounded in practice; this only guards against a flood of made-up ones
      }
      try {
        mac = Mac.getInstance(ALGORITHM);
        mac.init(new SecretKeySpec(master != null ? derive(master, kid) : ownKey, ALGORITHM));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
      cache.put(kid, mac);
    }
    return mac;
  }
}
