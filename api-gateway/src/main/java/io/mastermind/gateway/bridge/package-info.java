/**
 * The SockJS event-bus bridge at {@code /eventbus/*} (SPEC section 7): its options, its whitelist, and
 * the consumer of its one inbound address.
 */
package io.mastermind.gateway.bridge;
