package io.atomixtest.agent;

import io.atomix.core.set.DistributedSet;
import java.util.ArrayList;
import java.util.List;

/** /v1/set/NAME[/ELEMENT|/size]: string elements; add/remove tell whether it changed. */
final class SetResource implements Resource {
  private final Primitives primitives;

  SetResource(Primitives primitives) {
    this.primitives = primitives;
  }

  @Override
  public Object handle(Request request) {
    DistributedSet<String> set = request.within(primitives.set(request.name()));
    String rest = request.rest();
    if (rest.isEmpty()) {
      switch (request.method()) {
        case "GET":
          List<String> elements = new ArrayList<>(set);
          elements.sort(null);
          return elements;
        case "DELETE":
          set.clear();
          return null;
        default:
          throw HttpError.noRoute(request);
      }
    }
    if (rest.equals("size") && request.method().equals("GET")) {
      return set.size();
    }
    return switch (request.method()) {
      case "PUT", "POST" -> set.add(rest);
      case "GET" -> set.contains(rest);
      case "DELETE" -> set.remove(rest);
      default -> throw HttpError.noRoute(request);
    };
  }
}
