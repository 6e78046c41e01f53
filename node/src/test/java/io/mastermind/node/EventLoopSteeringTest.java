package io.mastermind.node;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopSteeringTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("busy verticles get loops of their own however many contexts were created between them")
  void apartWhateverCameBetween() throws Exception {
    for (int between = 0; between < 8; between++) {
      EventLoopSteering steering = new EventLoopSteering(vertx);
      await(steering.deploy(new Idle()));
      for (int i = 0; i < between; i++) {
        await(vertx.deployVerticle(new Idle())); // each takes Vert.x's next loop, as a node's other verticles do
      }
      await(steering.deploy(new Idle()));
      await(vertx.deployVerticle(new Idle()));
      await(steering.deploy(new Idle()));

      List<EventLoop> loops = steering.busyLoops();
      assertThat(loops).as("with %d deployments between", between).hasSize(3);
      assertThat(new HashSet<>(loops)).as("with %d deployments between", between).hasSize(3);
    }
  }

  @Test
  @DisplayName("with more busy verticles than loops, the next one still avoids the first one's loop")
  void moreBusyThanLoops() throws Exception {
    EventLoopSteering steering = new EventLoopSteering(vertx);
    for (int i = 0; i < 6; i++) {
      await(steering.deploy(new Idle()));
    }
    List<EventLoop> loops = steering.busyLoops();
    assertThat(new HashSet<>(loops.subList(0, 4))).hasSize(4);
    assertThat(loops.subList(4, 6)).doesNotContain(loops.get(0));
  }

  @Test
  @DisplayName("a node with every role runs its coordinator, worker and gateway on three different loops")
  void nodeRoles() throws Exception {
    MastermindNode node = MastermindNode.start(vertx, NodeSettings.of(null, new JsonObject()
        .put("nodeId", "loops-node").put("http", new JsonObject().put("port", 0))))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(node.busyEventLoops()).hasSize(3);
    assertThat(new HashSet<>(node.busyEventLoops())).hasSize(3);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static final class Idle extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }
}
