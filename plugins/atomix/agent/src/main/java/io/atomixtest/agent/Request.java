package io.atomixtest.agent;

import java.util.List;

/**
 * One REST call as a resource sees it: its method, the path segments after
 * the resource's own (decoded; the first is the primitive's name) and its body.
 */
record Request(String method, List<String> path, String body) {
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
