package io.mastermind.events;

import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.Event;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Publishes live events on {@link Addresses#EVENTS}, stamped with the publishing node's id. */
public final class EventPublisher {

  private final EventBus eventBus;
  private final String nodeId;

  public EventPublisher(EventBus eventBus, String nodeId) {
    this.eventBus = eventBus;
    this.nodeId = nodeId;
    SharedJsonCodec.register(eventBus);
  }

  public void publish(String event, String taskId, JsonObject data) {
    eventBus.publish(Addresses.EVENTS, Event.of(event, nodeId, taskId, data).toJson(), SharedJsonCodec.DELIVERY);
  }

  /** An event about a node other than the publisher (e.g. the coordinator announcing a join). */
  public void publishAbout(String event, String aboutNodeId, JsonObject data) {
    eventBus.publish(Addresses.EVENTS, Event.of(event, aboutNodeId, null, data).toJson(), SharedJsonCodec.DELIVERY);
  }
}
