package io.mastermind.gateway.security;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that forgets its least recently used entry past {@code max} entries: the per-address and
 * per-token books of the security rules stay bounded whatever a flood of callers sends.
 */
final class BoundedMap {

  private BoundedMap() {
  }

  static <K, V> Map<K, V> leastRecentlyUsedFirstOut(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
