package io.atomixtest.agent;

import io.atomix.core.map.AtomicMap;
import io.atomix.utils.time.Versioned;
import java.util.ArrayList;
import java.util.Map;

/** /v1/atomic-map/NAME/...: string keys and values, replies carry versions. */
final class MapResource implements Resource {
  private final Primitives primitives;

  MapResource(Primitives primitives) {
    this.primitives = primitives;
  }

  @Override
  public Object handle(Request request) {
    AtomicMap<String, String> map = request.within(primitives.map(request.name()));
    String rest = request.rest();
    switch (request.method() + " " + rest) {
      case "GET keys":
        return new ArrayList<>(map.keySet());
      case "GET size":
        return map.size();
      case "POST clear":
        map.clear();
        return null;
      default:
        break;
    }
    if (rest.isEmpty()) {
      throw HttpError.noRoute(request);
    }
    return switch (request.method()) {
      case "GET" -> versioned(map.get(rest));
      case "PUT", "POST" -> versioned(map.put(rest, request.body()));
      case "DELETE" -> versioned(map.remove(rest));
      default -> throw HttpError.noRoute(request);
    };
  }

  static Object versioned(Versioned<String> value) {
    return value == null ? null : Map.of("value", value.value(), "version", value.version());
  }
}
