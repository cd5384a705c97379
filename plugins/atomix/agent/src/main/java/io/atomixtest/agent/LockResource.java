package io.atomixtest.agent;

import io.atomix.core.lock.AtomicLock;

/**
 * /v1/atomic-lock/NAME/lock: POST waits for the lock and returns its version;
 * DELETE releases it. The holder is this node's session, not the HTTP client.
 */
final class LockResource implements Resource {
  private final Primitives primitives;

  LockResource(Primitives primitives) {
    this.primitives = primitives;
  }

  @Override
  public Object handle(Request request) {
    AtomicLock lock = request.within(primitives.lock(request.name()));
    switch (request.method() + " " + request.rest()) {
      case "POST lock":
        return lock.lock().value();
      case "DELETE lock":
        lock.unlock();
        return null;
      case "GET lock":
        return lock.isLocked();
      default:
        throw HttpError.noRoute(request);
    }
  }
}
