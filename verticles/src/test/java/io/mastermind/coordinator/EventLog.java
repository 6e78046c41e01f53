package io.mastermind.coordinator;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Predicate;

/** Every live event published on {@link Addresses#EVENTS}, in arrival order. */
public final class EventLog {

  private final Recorder<Event> events;
  private final MessageConsumer<JsonObject> consumer;

  public EventLog(Vertx vertx) {
    events = new Recorder<>(vertx, "events");
    consumer = vertx.eventBus().consumer(Addresses.EVENTS, m -> events.add(Event.fromJson(m.body())));
  }

  public Future<Void> ready() {
    return consumer.completion();
  }

  public List<Event> all() {
    return events.all();
  }

  /** The names of the events about one task, in arrival order. */
  public List<String> namesOf(String taskId) {
    return events.all().stream().filter(e -> taskId.equals(e.taskId())).map(Event::event).toList();
  }

  /** Completes once an event with this name about this task has arrived. */
  public Future<List<Event>> seen(String name, String taskId) {
    return until(list -> list.stream().anyMatch(e -> name.equals(e.event()) && taskId.equals(e.taskId())));
  }

  public Future<List<Event>> until(Predicate<List<Event>> condition) {
    return events.until(condition);
  }

  /** Completes with the first event received after this call that matches. */
  public Future<Event> next(Predicate<Event> matching) {
    return events.next(matching);
  }
}
