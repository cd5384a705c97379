package io.atomixtest.agent;

/**
 * One kind of primitive (or the cluster) under /v1/TYPE. Returns the reply's
 * value, written as JSON (null included); throws HttpError for a bad request.
 */
interface Resource {
  Object handle(Request request) throws Exception;
}
