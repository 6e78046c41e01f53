package io.mastermind.worker.spi;

/** A handler failure with an error code of its own, e.g. {@code INVALID_DATA}; retryable unless said otherwise. */
public class TaskFailure extends Exception {

  public static final String HANDLER_ERROR = "HANDLER_ERROR";
  public static final String INVALID_DATA = "INVALID_DATA";

  private final String code;
  private final boolean retryable;

  public TaskFailure(String code, String message, boolean retryable) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }

  /** Bad data: retrying cannot help. */
  public static TaskFailure invalidData(String message) {
    return new TaskFailure(INVALID_DATA, message, false);
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }
}
