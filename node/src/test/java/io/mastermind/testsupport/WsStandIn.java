package io.mastermind.testsupport;

import io.mastermind.protocol.EventPattern;
import io.mastermind.coordinator.CoordinatorClient;
import io.mastermind.protocol.Addresses;
import io.mastermind.protocol.ErrorCode;
import io.mastermind.protocol.EventNames;
import io.mastermind.protocol.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the gateway's WebSocket {@code /api/v1/ws} while the real one is built on another
 * branch: the ops of SPEC section 6 the clients use ({@code subscribe}, {@code unsubscribe},
 * {@code submit}, {@code ping}) over a real node's event bus, and every other request proxied to that
 * node's HTTP gateway. Tests point clients at {@link #url}.
 */
public final class WsStandIn implements AutoCloseable {

  private static final Set<String> TERMINAL = Set.of(EventNames.TASK_COMPLETED, EventNames.TASK_FAILED,
    EventNames.TASK_TIMED_OUT, EventNames.TASK_CANCELLED);

  public final String url;
  private final Vertx vertx;
  private final HttpServer server;
  private final HttpClient proxy;
  private final String token;
  private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger subscriptions = new AtomicInteger();

  /** @param token the token the upgrade needs ({@code Authorization: Bearer}), or null */
  public WsStandIn(GatewayNode gateway, String token) throws Exception {
    this(gateway, token, true);
  }

  /** Today's gateway, as far as a client sees: the HTTP API, and the upgrade to /api/v1/ws refused with 404. */
  public static WsStandIn withoutWebSocket(GatewayNode gateway) throws Exception {
    return new WsStandIn(gateway, null, false);
  }

  private WsStandIn(GatewayNode gateway, String token, boolean webSocket) throws Exception {
    this.vertx = gateway.vertx;
    this.token = token;
    String target = gateway.url;
    proxy = vertx.createHttpClient();
    server = vertx.createHttpServer()
      .webSocketHandshakeHandler(handshake -> {
        if (!webSocket || !"/api/v1/ws".equals(handshake.path())) {
          handshake.reject(404);
        } else if (token != null && !("Bearer " + token).equals(handshake.headers().get("Authorization"))) {
          handshake.reject(401);
        } else {
          handshake.accept();
        }
      })
      .webSocketHandler(this::onSocket)
      .requestHandler(request -> forward(request, target));
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    url = "http://127.0.0.1:" + server.actualPort();
  }

  /** Closes every open socket, as a gateway restart would. */
  public void dropConnections() {
    sockets.forEach(ServerWebSocket::close);
  }

  /** How many subscribe ops were answered {@code subscribed}, over all sockets so far. */
  public int subscriptions() {
    return subscriptions.get();
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
  }

  private void forward(HttpServerRequest request, String target) {
    request.body()
      .compose(body -> proxy.request(new RequestOptions().setMethod(request.method()).setAbsoluteURI(target + request.uri())
          .setHeaders(request.headers()))
        .compose(out -> out.send(body)))
      .compose(response -> response.body().map(body -> {
        request.response().setStatusCode(response.statusCode()).headers().addAll(response.headers());
        return body;
      }))
      .onSuccess(body -> request.response().end(body))
      .onFailure(err -> request.response().setStatusCode(502).end(Buffer.buffer(err.toString())));
  }

  private void onSocket(ServerWebSocket socket) {
    sockets.add(socket);
    CoordinatorClient coordinator = new CoordinatorClient(vertx.eventBus(), 10_000);
    List<MessageConsumer<JsonObject>> consumers = new CopyOnWriteArrayList<>();
    socket.closeHandler(v -> {
      sockets.remove(socket);
      consumers.forEach(MessageConsumer::unregister);
    });
    socket.textMessageHandler(text -> {
      JsonObject frame;
      try {
        frame = new JsonObject(text);
      } catch (RuntimeException e) {
        send(socket, new JsonObject().put("op", "error").put("error", new JsonObject().put("code", "INVALID_JSON")
          .put("message", "frame is not a JSON object")));
        return;
      }
      String ref = frame.getString("ref");
      switch (frame.getString("op", "")) {
        case "subscribe" -> {
          List<EventPattern> patterns = frame.getJsonArray("events").stream().map(p -> EventPattern.of((String) p)).toList();
          MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.EVENTS, m -> {
            if (patterns.stream().anyMatch(p -> p.matches(m.body().getString("event")))) {
              send(socket, new JsonObject().put("op", "event").put("event", m.body()));
            }
          });
          consumers.add(consumer);
          consumer.completion().onSuccess(v -> {
            subscriptions.incrementAndGet();
            send(socket, new JsonObject().put("op", "subscribed").put("ref", ref));
          });
        }
        case "unsubscribe" -> {
          consumers.forEach(MessageConsumer::unregister);
          consumers.clear();
        }
        case "ping" -> send(socket, new JsonObject().put("op", "pong").put("ref", ref));
        case "submit" -> submit(socket, coordinator, consumers, ref, frame.getJsonObject("task"));
        default -> send(socket, new JsonObject().put("op", "error").put("ref", ref).put("error",
          new JsonObject().put("code", "INVALID_FIELD").put("message", "unknown op")));
      }
    });
  }

  /** accepted, then the task's events, then result once a terminal event was forwarded. */
  private void submit(ServerWebSocket socket, CoordinatorClient coordinator, List<MessageConsumer<JsonObject>> consumers,
                      String ref, JsonObject task) {
    Future<CoordinatorClient.Submitted> submitted;
    try {
      TaskSpec spec = TaskSpec.fromJson(task);
      JsonObject withId = spec.id() == null ? task.copy().put("id", spec.withGeneratedId().id()) : task;
      String id = withId.getString("id");
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.EVENTS, m -> {
        if (!id.equals(m.body().getString("taskId"))) {
          return;
        }
        send(socket, new JsonObject().put("op", "event").put("event", m.body()));
        if (TERMINAL.contains(m.body().getString("event"))) {
          coordinator.get(id).onSuccess(record -> send(socket, new JsonObject().put("op", "result").put("ref", ref)
            .put("task", record)));
        }
      });
      consumers.add(consumer);
      submitted = consumer.completion().compose(v -> coordinator.submit(withId));
    } catch (RuntimeException e) {
      submitted = Future.failedFuture(e);
    }
    submitted
      .onSuccess(s -> send(socket, new JsonObject().put("op", "accepted").put("ref", ref).put("task", s.record())))
      .onFailure(err -> send(socket, new JsonObject().put("op", "error").put("ref", ref).put("error",
        new JsonObject().put("code", ErrorCode.of(err).name()).put("message", err.getMessage()))));
  }

  private static void send(ServerWebSocket socket, JsonObject frame) {
    if (!socket.isClosed()) {
      socket.writeTextMessage(frame.encode());
    }
  }
}
