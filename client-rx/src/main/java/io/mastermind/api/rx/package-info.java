/**
 * The RxJava 3 flavour of the Java API: {@link io.mastermind.api.rx.RxDistributedSystem} with
 * {@code Single}, {@code Completable} and a backpressured {@code Flowable} of live events.
 */
package io.mastermind.api.rx;
