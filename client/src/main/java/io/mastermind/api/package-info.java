/**
 * The Java API of SPEC section 9: {@link io.mastermind.api.DistributedSystem}, embedded in the caller's
 * process or connected to a gateway, with its options, its typed failure and live-event subscriptions.
 * The RxJava 3 flavour is in {@code io.mastermind.api.rx}; implementations are in {@code impl}.
 */
package io.mastermind.api;
