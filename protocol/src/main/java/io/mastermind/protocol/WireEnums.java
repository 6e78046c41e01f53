package io.mastermind.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Case-insensitive parsing of the SPEC's enums, with an error that names the field and the choices. */
final class WireEnums {

  private WireEnums() {
  }

  static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
    if (value != null) {
      try {
        return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ignored) {
        // reported below with the allowed values
      }
    }
    String allowed = Arrays.stream(type.getEnumConstants())
      .map(e -> e.name().toLowerCase(Locale.ROOT))
      .collect(Collectors.joining(", "));
    throw new ValidationException(field, field + " must be one of: " + allowed + " (got " + value + ")");
  }
}
