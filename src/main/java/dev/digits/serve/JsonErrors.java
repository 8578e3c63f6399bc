package dev.digits.serve;

import dev.digits.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What Jetty itself refuses before a request reaches this server's code (a malformed request
 * line, headers over the limit, an ambiguous path) is answered as every other error here:
 * {@code {"error": "..."}}, not an HTML page.
 */
final class JsonErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
  @Override
  protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
      int code, String message, Throwable cause, org.eclipse.jetty.util.Callback callback) {
    response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, java.nio.ByteBuffer.wrap(body(code, message)), callback);
  }

  @Override
  public java.nio.ByteBuffer badMessageError(int status, String reason, org.eclipse.jetty.http.HttpFields.Mutable fields) {
    fields.put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
    return java.nio.ByteBuffer.wrap(body(status, reason));
  }

  private static byte[] body(int code, String message) {
    String text = message == null || message.isBlank() ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message;
    return Json.write(Map.of("error", text)).getBytes(StandardCharsets.UTF_8);
  }
}
