package dev.mkt.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.function.BiConsumer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves {@link EventIngest} on Spring MVC (functional endpoints). The body is read from the servlet stream,
 * bounded: a {@code Content-Length} over the limit is answered 413 before anything is read, and a chunked body
 * is cut off one byte past the limit.
 */
public final class IngestRoutes {
  private IngestRoutes() {}

  /** {@code POST path} served by {@code ingest}. */
  public static RouterFunction<ServerResponse> routes(String path, EventIngest ingest, long maxBodyBytes) {
    return RouterFunctions.route().POST(path, request -> handle(request, ingest, maxBodyBytes)).build();
  }

  static ServerResponse handle(ServerRequest request, EventIngest ingest, long maxBodyBytes) throws IOException {
    HttpServletRequest servlet = request.servletRequest();
    long declared = servlet.getContentLengthLong();
    byte[] body;
    if (declared > maxBodyBytes) {
      body = null;
    } else {
      try (InputStream in = servlet.getInputStream()) {
        body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      }
    }
    if (body == null || body.length > maxBodyBytes) {
      String json = "{\"status\":\"REJECTED\",\"error\":\"payload_too_large\",\"message\":\"body must be at most "
          + maxBodyBytes + " bytes\"}";
      return ServerResponse.status(HttpStatusCode.valueOf(413)).contentType(MediaType.APPLICATION_JSON)
          .header("Connection", "close").body(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] raw = body;
    EventIngest.Response r = ingest.ingest(new EventIngest.Request() {
      @Override
      public String header(String name) {
        return servlet.getHeader(name);
      }

      @Override
      public void forEachHeader(BiConsumer<String, String> consumer) {
        Enumeration<String> names = servlet.getHeaderNames();
        while (names.hasMoreElements()) {
          String name = names.nextElement();
          consumer.accept(name, servlet.getHeader(name));
        }
      }

      @Override
      public byte[] body() {
        return raw;
      }
    });
    return ServerResponse.status(HttpStatusCode.valueOf(r.status())).contentType(MediaType.APPLICATION_JSON)
        .body(r.json());
  }
}
