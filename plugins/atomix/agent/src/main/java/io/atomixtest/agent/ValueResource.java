package io.atomixtest.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.atomix.core.value.AtomicValue;

/** /v1/atomic-value/NAME/value (get, set) and .../cas {"expect","update"}. */
final class ValueResource implements Resource {
  private final Primitives primitives;
  private final ObjectMapper json;

  ValueResource(Primitives primitives, ObjectMapper json) {
    this.primitives = primitives;
    this.json = json;
  }

  @Override
  public Object handle(Request request) throws Exception {
    AtomicValue<String> value = request.within(primitives.value(request.name()));
    switch (request.method() + " " + request.rest()) {
      case "GET value":
        return value.get();
      case "POST value", "PUT value":
        value.set(request.body());
        return null;
      case "POST cas":
        JsonNode cas = parse(request.body());
        return value.compareAndSet(text(cas, "expect"), text(cas, "update"));
      default:
        throw HttpError.noRoute(request);
    }
  }

  private JsonNode parse(String body) {
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.isObject() && node.has("expect") && node.has("update")) {
        return node;
      }
    } catch (Exception e) {
      // reported below
    }
    throw new HttpError(400, "cas takes a JSON object {\"expect\": ..., \"update\": ...}");
  }

  // A JSON null stands for the unset value.
  private static String text(JsonNode cas, String field) {
    JsonNode node = cas.get(field);
    return node.isNull() ? null : node.asText();
  }
}
