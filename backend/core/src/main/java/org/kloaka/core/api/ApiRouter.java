package org.kloaka.core.api;

/**
 * The REST API of CONTRACT §4 as one function, called by the local HTTP server and by the AWS REST
 * Lambda alike. It authenticates, routes, validates and answers; it never throws: an unexpected
 * failure becomes a 500 with a plain message and no stack trace.
 */
public interface ApiRouter {

  ApiResponse handle(ApiRequest request);
}
