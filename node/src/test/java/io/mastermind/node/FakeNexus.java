package io.mastermind.node;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in Central Nexus on loopback: {@code POST /systems} records each registration and refuses
 * the first {@code refusals} with 503, then answers 201.
 */
final class FakeNexus implements AutoCloseable {

  record Registration(long atNanos, JsonObject body) {
  }

  final List<Registration> registrations = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  FakeNexus(int refusals) throws IOException {
    AtomicInteger seen = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/systems", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        registrations.add(new Registration(System.nanoTime(), new JsonObject(body)));
      }
      boolean refuse = !"POST".equals(exchange.getRequestMethod()) || seen.incrementAndGet() <= refusals;
      byte[] answer = (refuse ? "{\"error\":\"not yet\"}" : "{\"registered\":true}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(refuse ? 503 : 201, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
