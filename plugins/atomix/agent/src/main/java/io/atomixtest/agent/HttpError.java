package io.atomixtest.agent;

/** A reply other than 200 that a resource chooses (bad path, bad body). */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  /** Whether the operation certainly did not happen (its reply says "applied": false). */
  final boolean notApplied;

  HttpError(int status, String message) {
    this(status, message, false);
  }

  private HttpError(int status, String message, boolean notApplied) {
    super(message);
    this.status = status;
    this.notApplied = notApplied;
  }

  static HttpError noRoute(Request request) {
    return new HttpError(404, "no " + request.method() + " route for " + request.path());
  }

  /** 503 for an operation that never reached Atomix: its caller may try again. */
  static HttpError notApplied(String message) {
    return new HttpError(503, message, true);
  }
}
