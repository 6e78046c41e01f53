package io.mastermind.gateway.bridge;

import io.mastermind.protocol.ErrorCode;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/**
 * Whether a client frame of the bridge may go on: the caller's scopes and rate limit, decided by the
 * gateway (which knows who opened the socket). Called for {@code register}, {@code send} and
 * {@code publish} frames that the whitelist lets through.
 */
@FunctionalInterface
public interface BridgeAccess {

  /** Why a frame is refused: {@code FORBIDDEN} or {@code LIMIT_EXCEEDED}, with a message for the client. */
  record Refusal(ErrorCode code, String message) {
  }

  /** Lets everything through. */
  BridgeAccess OPEN = (socket, type, address) -> null;

  /** @return null to let the frame through, else why not */
  Refusal check(SockJSSocket socket, BridgeEventType type, String address);
}
