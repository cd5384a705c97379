package io.atomixtest.agent;

import io.atomix.core.counter.AtomicCounter;

/** /v1/atomic-counter/NAME: get, set (PUT a number) and inc (POST .../inc). */
final class CounterResource implements Resource {
  private final Primitives primitives;

  CounterResource(Primitives primitives) {
    this.primitives = primitives;
  }

  @Override
  public Object handle(Request request) {
    AtomicCounter counter = request.within(primitives.counter(request.name()));
    switch (request.method() + " " + request.rest()) {
      case "GET ":
        return counter.get();
      case "PUT ", "POST ":
        counter.set(request.bodyAsLong());
        return null;
      case "POST inc":
        return counter.incrementAndGet();
      default:
        throw HttpError.noRoute(request);
    }
  }
}
