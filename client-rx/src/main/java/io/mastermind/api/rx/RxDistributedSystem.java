package io.mastermind.api.rx;

import io.mastermind.api.DistributedSystem;
import io.mastermind.api.DistributedSystemException;
import io.mastermind.protocol.EventPattern;
import io.mastermind.api.DistributedSystemOptions;
import io.mastermind.api.EventSubscription;
import io.mastermind.api.TaskHandle;
import io.reactivex.rxjava3.core.BackpressureOverflowStrategy;
import io.reactivex.rxjava3.core.BackpressureStrategy;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.FlowableEmitter;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.rxjava3.CompletableHelper;
import io.vertx.rxjava3.SingleHelper;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@link DistributedSystem} for RxJava 3. Every {@code Single} and {@code Completable} is cold: the
 * command is sent when it is subscribed to, once per subscription (resubmitting a task with the same
 * {@code id} is idempotent). Failures are the same {@link DistributedSystemException}s.
 *
 * <h2>Backpressure of {@link #events(String)}</h2>
 * Live events are pushed by the cluster; nothing can slow the producer down. Each {@code Flowable}
 * therefore keeps a bounded buffer per subscriber ({@link #DEFAULT_EVENT_BUFFER} events, or the size
 * given to {@link #events(String, int)}) and, when a slow subscriber lets it fill, <b>drops the oldest
 * buffered event</b> to make room for the newest ({@code onBackpressureBuffer(capacity, onOverflow,
 * DROP_OLDEST)}). A slow subscriber thus never fails with {@code MissingBackpressureException} and
 * never makes memory grow: it sees everything it requested in time, then the most recent
 * {@code capacity} events. {@link #droppedEvents()} counts what was dropped.
 */
public final class RxDistributedSystem {

  /** Events buffered per subscriber of {@link #events(String)} before the oldest are dropped. */
  public static final int DEFAULT_EVENT_BUFFER = 1024;

  private final DistributedSystem delegate;
  private final AtomicLong dropped = new AtomicLong();

  private RxDistributedSystem(DistributedSystem delegate) {
    this.delegate = delegate;
  }

  public static RxDistributedSystem of(DistributedSystem delegate) {
    return new RxDistributedSystem(delegate);
  }

  /** @see DistributedSystem#remote(String, String) */
  public static RxDistributedSystem remote(String url, String token) {
    return of(DistributedSystem.remote(url, token));
  }

  /** @see DistributedSystem#remote(Vertx, String, String, DistributedSystemOptions) */
  public static RxDistributedSystem remote(Vertx vertx, String url, String token, DistributedSystemOptions options) {
    return of(DistributedSystem.remote(vertx, url, token, options));
  }

  /** The Future-based system underneath. */
  public DistributedSystem delegate() {
    return delegate;
  }

  public Completable initialize() {
    return completable(delegate::initialize);
  }

  /** The final status record once the task ended (see {@link DistributedSystem#executeTask}). */
  public Single<JsonObject> executeTask(JsonObject task) {
    return single(() -> delegate.executeTask(task));
  }

  /** The handle once the task is accepted (see {@link DistributedSystem#submit(JsonObject)}). */
  public Single<TaskHandle> submit(JsonObject task) {
    return single(() -> delegate.submit(task));
  }

  public Single<JsonObject> get(String id) {
    return single(() -> delegate.get(id));
  }

  public Single<JsonObject> cancel(String id) {
    return single(() -> delegate.cancel(id));
  }

  /** One page of tasks (see {@link DistributedSystem#list(JsonObject)}). */
  public Single<JsonObject> list(JsonObject query) {
    return single(() -> delegate.list(query));
  }

  public Single<JsonObject> addNode(JsonObject nodeConfig) {
    return single(() -> delegate.addNode(nodeConfig));
  }

  public Completable removeNode(String id) {
    return completable(() -> delegate.removeNode(id));
  }

  public Completable setLogLevel(String level) {
    return completable(() -> delegate.setLogLevel(level));
  }

  public Completable close() {
    return completable(delegate::close);
  }

  /** Live events matching {@code pattern}, buffering {@link #DEFAULT_EVENT_BUFFER} per subscriber. */
  public Flowable<JsonObject> events(String pattern) {
    return events(pattern, DEFAULT_EVENT_BUFFER);
  }

  /**
   * Live events matching {@code pattern} ({@code "*"}, a name, or a prefix such as {@code "task:*"}).
   * Each subscriber gets its own subscription, registered on subscribe and cancelled on dispose; it fails
   * when the subscription cannot be made (remote: no WebSocket). At most {@code bufferSize} events wait
   * for a slow subscriber; beyond that the oldest is dropped (see the class comment).
   */
  public Flowable<JsonObject> events(String pattern, int bufferSize) {
    EventPattern.of(pattern);
    if (bufferSize <= 0) {
      throw new IllegalArgumentException("bufferSize must be > 0");
    }
    // MISSING here: the bounded buffer right below is the one backpressure strategy.
    Flowable<JsonObject> source = Flowable.create(emitter -> {
      FlowableEmitter<JsonObject> serial = emitter.serialize();
      EventSubscription subscription = delegate.subscribe(pattern, serial::onNext);
      subscription.ready().onFailure(serial::tryOnError);
      serial.setCancellable(subscription::cancel);
    }, BackpressureStrategy.MISSING);
    return source.onBackpressureBuffer(bufferSize, dropped::incrementAndGet, BackpressureOverflowStrategy.DROP_OLDEST);
  }

  /** Events dropped so far by slow subscribers of {@link #events}, over all of them. */
  public long droppedEvents() {
    return dropped.get();
  }

  private static <T> Single<T> single(Supplier<Future<T>> command) {
    return SingleHelper.toSingle(handler -> command.get().onComplete(handler));
  }

  private static Completable completable(Supplier<Future<Void>> command) {
    return CompletableHelper.toCompletable(handler -> command.get().onComplete(handler));
  }
}
