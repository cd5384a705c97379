package io.atomixtest.agent;

/** A reply other than 200 that a resource chooses (bad path, bad body). */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  HttpError(int status, String message) {
    super(message);
    this.status = status;
  }

  static HttpError noRoute(Request request) {
    return new HttpError(404, "no " + request.method() + " route for " + request.path());
  }
}
