package io.atomixtest.agent;

import io.atomix.core.Atomix;
import io.atomix.core.counter.AtomicCounter;

/** /v1/atomic-counter/NAME: get, set (PUT a number) and inc (POST .../inc). */
final class CounterResource implements Resource {
  private final Atomix atomix;

  CounterResource(Atomix atomix) {
    this.atomix = atomix;
  }

  @Override
  public Object handle(Request request) {
    AtomicCounter counter = atomix.getAtomicCounter(request.name());
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
