package io.mastermind.protocol;

/** Bad input, naming the offending field (dotted path, e.g. {@code requirements.cpu}). */
public class ValidationException extends RuntimeException {

  private final String field;

  public ValidationException(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
