package io.mastermind.worker.handlers;

import io.mastermind.protocol.BuiltinFunctions;
import io.mastermind.worker.spi.TaskHandler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceLoaderTest {

  private final List<TaskHandler> handlers = ServiceLoader.load(TaskHandler.class).stream()
    .map(ServiceLoader.Provider::get)
    .collect(Collectors.toList());

  @Test
  void loadsAllTenBuiltins() {
    assertThat(handlers).extracting(TaskHandler::function).containsExactlyInAnyOrder(
      "primes", "sha256", "pi", "sleep", "wordcount", "stats", "sort", "linear-regression", "echo", "fail");
  }

  @Test
  void eachServesTheTypeTheGatewayExpects() {
    for (TaskHandler handler : handlers) {
      assertThat(handler.types()).as(handler.function()).containsExactly(BuiltinFunctions.typeOf(handler.function()));
    }
  }
}
