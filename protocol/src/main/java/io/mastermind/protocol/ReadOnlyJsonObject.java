package io.mastermind.protocol;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Map;

/**
 * A JSON object that carries something derived from its content ({@link EncodedJsonObject}: its text;
 * {@link TaskSpecJson}: the task it was validated into), so every mutator throws: the derived value could
 * not follow a change. Equal to any JSON object with the same content (JsonObject's own equals also
 * compares classes). {@link #copy()} gives a plain, mutable JsonObject. Across JVMs such an object
 * travels as plain JSON and arrives as a plain JsonObject: the shortcut is for a receiver in the same JVM.
 */
public abstract class ReadOnlyJsonObject extends JsonObject {

  protected ReadOnlyJsonObject(JsonObject json) {
    super(json.getMap());
  }

  @Override
  public final JsonObject put(String key, Object value) {
    throw readOnly();
  }

  @Override
  public final JsonObject putNull(String key) {
    throw readOnly();
  }

  @Override
  public final Object remove(String key) {
    throw readOnly();
  }

  @Override
  public final JsonObject mergeIn(JsonObject other, int depth) {
    throw readOnly();
  }

  @Override
  public final JsonObject clear() {
    throw readOnly();
  }

  @Override
  public final Map<String, Object> getMap() {
    return Collections.unmodifiableMap(super.getMap());
  }

  @Override
  public final boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof JsonObject other)) {
      return false;
    }
    return plain().equals(other instanceof ReadOnlyJsonObject readOnly ? readOnly.plain() : other);
  }

  @Override
  public final int hashCode() {
    return plain().hashCode();
  }

  /** The same map in a plain JsonObject (no copy). */
  private JsonObject plain() {
    return new JsonObject(super.getMap());
  }

  private UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException(getClass().getSimpleName() + " is read-only: copy() it to change it");
  }
}
