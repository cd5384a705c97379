package io.atomixtest.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.atomix.core.Atomix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's REST API under /v1, with the paths of Atomix 3's REST module.
 * Replies are JSON; a failed primitive operation is HTTP 500 whose body names
 * the Atomix exception (the module sent no body; the name helps the reader).
 */
final class RestServer {
  private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
  // Blocking calls (a lock waits for its holder) each hold a thread.
  private static final int THREADS = 64;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Resource> resources;

  RestServer(Atomix atomix, Primitives primitives, List<String> bootstrapMembers, String host, int port)
      throws IOException {
    ClusterResource cluster = new ClusterResource(atomix, primitives, bootstrapMembers);
    resources =
        Map.of(
            "status", cluster,
            "cluster", cluster,
            "primitives", cluster,
            "time", cluster,
            "atomic-map", new MapResource(primitives),
            "atomic-counter", new CounterResource(primitives),
            "atomic-value", new ValueResource(primitives, json),
            "atomic-lock", new LockResource(primitives),
            "set", new SetResource(primitives),
            "transactions", new TransactionResource(atomix, json));
    // The JDK server writes a reply's headers and body apart; with Nagle on, a
    // client that keeps its connection waits out its delayed ACK (40 ms).
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(host, port), 128);
    server.setExecutor(executor);
    server.createContext("/v1/", this::serve);
  }

  void start() {
    server.start();
  }

  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void serve(HttpExchange exchange) throws IOException {
    int status = 200;
    Object value;
    try {
      value = route(exchange);
    } catch (HttpError e) {
      status = e.status;
      value = e.notApplied ? Map.of("error", e.getMessage(), "applied", false)
                           : Map.of("error", e.getMessage());
    } catch (Exception e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      LOG.debug("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), cause);
      status = 500;
      value = Map.of("error", describe(cause));
    }
    byte[] body = json.writeValueAsBytes(value);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private Object route(HttpExchange exchange) throws Exception {
    // The raw path: an encoded '/' inside a key must not split it.
    String raw = exchange.getRequestURI().getRawPath().substring("/v1/".length());
    List<String> segments = new ArrayList<>();
    for (String part : Arrays.asList(raw.split("/", -1))) {
      segments.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
    }
    Resource resource = resources.get(segments.get(0));
    if (resource == null) {
      throw new HttpError(404, "no resource /v1/" + segments.get(0));
    }
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // A primitive's resource sees its name first; the cluster's sees it all.
    List<String> path = resource instanceof ClusterResource ? segments : segments.subList(1, segments.size());
    return resource.handle(
        new Request(exchange.getRequestMethod(), path, body, operationTimeout(exchange.getRequestURI().getRawQuery())));
  }

  // ?timeout=MS: how long the caller waits for the operation (null: not said).
  private static Duration operationTimeout(String query) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("timeout=")) {
        try {
          long millis = Long.parseLong(pair.substring("timeout=".length()));
          if (millis > 0) {
            return Duration.ofMillis(millis);
          }
        } catch (NumberFormatException e) {
          // falls through to the error below
        }
        throw new HttpError(400, "timeout takes a positive number of milliseconds, got '" + pair + "'");
      }
    }
    return null;
  }

  // e.g. "PrimitiveException.Timeout": the class as Atomix names it.
  private static String describe(Throwable error) {
    String name = error.getClass().getName();
    name = name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    return error.getMessage() == null ? name : name + ": " + error.getMessage();
  }
}
