package io.mastermind.security;

import io.mastermind.protocol.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A request was answered, but not by whom it was sent to: the answer was unsigned, signed by another
 * key, or for another request (a member that registered a consumer on the address answered in the
 * addressee's place). The request may never have reached its addressee; sending it again reaches the
 * next consumer of the address.
 */
public final class RefusedAnswerException extends ReplyException {

  public RefusedAnswerException(String message) {
    super(ReplyFailure.RECIPIENT_FAILURE, ErrorCode.UNAUTHORIZED.failureCode(), message);
  }
}
