package io.atomixtest.agent;

import io.atomix.primitive.SyncPrimitive;
import java.time.Duration;
import java.util.List;

/**
 * One REST call as a resource sees it: its method, the path segments after
 * the resource's own (decoded; the first is the primitive's name), its body,
 * and how long its operation may take (null: Atomix's default of 5 s).
 */
record Request(String method, List<String> path, String body, Duration operationTimeout) {
  /**
   * The primitive, waiting as long as the caller allows: a write asked
   * during a Raft election would otherwise fail after Atomix's 5 s even when
   * the caller's step allows longer and a new leader is elected by then.
   */
  @SuppressWarnings("unchecked")
  <P extends SyncPrimitive> P within(P primitive) {
    return operationTimeout == null ? primitive : (P) primitive.async().sync(operationTimeout);
  }

  /** The path without its first segment, joined: "" for /v1/TYPE/NAME. */
  String rest() {
    return String.join("/", path.subList(Math.min(1, path.size()), path.size()));
  }

  String name() {
    if (path.isEmpty() || path.get(0).isEmpty()) {
      throw new HttpError(404, "the path names no primitive");
    }
    return path.get(0);
  }

  long bodyAsLong() {
    try {
      return Long.parseLong(body.trim());
    } catch (NumberFormatException e) {
      throw new HttpError(400, "the body must be an integer, got '" + body + "'");
    }
  }
}
