package io.atomixtest.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.atomix.core.Atomix;
import io.atomix.core.transaction.CommitStatus;
import io.atomix.core.transaction.Isolation;
import io.atomix.core.transaction.Transaction;
import io.atomix.core.transaction.TransactionalMap;

/**
 * POST /v1/transactions/MAP: one Atomix 3 transaction (the transaction builder,
 * a transactional map named MAP) running the micro-ops of the body,
 * {"isolation": "repeatable-reads" | "read-committed", "ops": [[f, key, value], ...]}:
 * ["r", k, null] reads, ["w", k, v] writes (rw-register), ["append", k, v] reads
 * k's list and writes it extended (list-append). Keys and values are stored as
 * their JSON text. The reply is the micro-ops with the reads filled in, or
 * false when the commit failed (a key written was changed since it was read:
 * nothing was applied). Not part of Atomix's REST module, which has no
 * transactions.
 */
final class TransactionResource implements Resource {
  private final Atomix atomix;
  private final ObjectMapper json;

  TransactionResource(Atomix atomix, ObjectMapper json) {
    this.atomix = atomix;
    this.json = json;
  }

  @Override
  public Object handle(Request request) throws Exception {
    if (!request.method().equals("POST") || !request.rest().isEmpty()) {
      throw HttpError.noRoute(request);
    }
    JsonNode body = parse(request.body());
    Transaction transaction =
        atomix.transactionBuilder("atomix-test-" + request.name())
            .withIsolation(isolation(body))
            .build();
    transaction.begin();
    ArrayNode done = json.createArrayNode();
    try {
      TransactionalMap<String, String> map =
          transaction.<String, String>mapBuilder(request.name()).build();
      for (JsonNode op : body.get("ops")) {
        done.add(apply(map, op));
      }
    } catch (RuntimeException e) {
      transaction.abort();
      throw e;
    }
    return transaction.commit() == CommitStatus.SUCCESS ? done : Boolean.FALSE;
  }

  private JsonNode apply(TransactionalMap<String, String> map, JsonNode op) throws Exception {
    String f = op.get(0).asText();
    String key = op.get(1).toString();
    ArrayNode result = json.createArrayNode().add(op.get(0)).add(op.get(1));
    switch (f) {
      case "r" -> {
        String value = map.get(key);
        return result.add(value == null ? json.nullNode() : json.readTree(value));
      }
      case "w" -> map.put(key, op.get(2).toString());
      case "append" -> {
        String value = map.get(key);
        ArrayNode list = value == null ? json.createArrayNode() : (ArrayNode) json.readTree(value);
        map.put(key, list.add(op.get(2)).toString());
      }
      default -> throw new HttpError(400, "a micro-op is r, w or append, not " + op);
    }
    return result.add(op.get(2));
  }

  private JsonNode parse(String body) {
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.isObject() && node.path("ops").isArray()) {
        for (JsonNode op : node.get("ops")) {
          if (!op.isArray() || op.size() != 3 || !op.get(0).isTextual()) {
            throw new HttpError(400, "a micro-op is [f, key, value], not " + op);
          }
        }
        return node;
      }
    } catch (HttpError e) {
      throw e;
    } catch (Exception e) {
      // reported below
    }
    throw new HttpError(400, "a transaction is {\"isolation\": ..., \"ops\": [[f, key, value], ...]}");
  }

  private static Isolation isolation(JsonNode body) {
    String name = body.path("isolation").asText("repeatable-reads");
    return switch (name) {
      case "repeatable-reads" -> Isolation.REPEATABLE_READS;
      case "read-committed" -> Isolation.READ_COMMITTED;
      default -> throw new HttpError(400, "isolation is repeatable-reads or read-committed, not " + name);
    };
  }
}
