package dev.mkt.spring.web;

import dev.mkt.InvalidUnsubscribeTokenException;
import dev.mkt.Marketing;
import dev.mkt.UnsubscribeToken;
import dev.mkt.UnsubscribeTokens;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * One-click unsubscribe.
 *
 * <ul>
 *   <li>{@code POST <path>?token=...}: RFC 8058 one-click. A mail client posts
 *       {@code List-Unsubscribe=One-Click} to the URI of the {@code List-Unsubscribe} header, without cookies or
 *       a login; the token in the URI says who. The user is unsubscribed from the token's channel at once (queued
 *       messages are suppressed at dispatch) and the answer is 200.</li>
 *   <li>{@code GET <path>?token=...}: the link in the email body. It only shows a confirmation page with a
 *       button that posts to the same URI, because link scanners and prefetchers follow GET links; a GET never
 *       unsubscribes.</li>
 * </ul>
 * An invalid or expired token is answered 400 with a page that says so; nothing changes.
 */
public final class UnsubscribeRoutes {
  private static final Logger log = LoggerFactory.getLogger(UnsubscribeRoutes.class);

  private UnsubscribeRoutes() {}

  /** The GET and POST routes on {@code path}. */
  public static RouterFunction<ServerResponse> routes(String path, UnsubscribeTokens tokens, Marketing marketing) {
    return RouterFunctions.route()
        .GET(path, request -> confirm(request, path, tokens, marketing))
        .POST(path, request -> unsubscribe(request, tokens, marketing))
        .build();
  }

  private static ServerResponse confirm(ServerRequest request, String path, UnsubscribeTokens tokens,
      Marketing marketing) {
    Optional<String> token = request.param("token");
    UnsubscribeToken claim;
    try {
      claim = tokens.verify(token.orElse(""));
    } catch (InvalidUnsubscribeTokenException e) {
      return invalid(e);
    }
    String who = marketing.contact(claim.userId()).email().map(UnsubscribeRoutes::mask).orElse("your account");
    String action = path + "?token=" + java.net.URLEncoder.encode(token.get(), StandardCharsets.UTF_8);
    return page(200, "Unsubscribe",
        "<p>Stop sending <b>" + esc(claim.channel()) + "</b> messages to <b>" + esc(who) + "</b>?</p>"
            + "<form method=\"post\" action=\"" + esc(action) + "\">"
            + "<input type=\"hidden\" name=\"confirm\" value=\"yes\">"
            + "<button type=\"submit\">Unsubscribe</button></form>");
  }

  private static ServerResponse unsubscribe(ServerRequest request, UnsubscribeTokens tokens, Marketing marketing)
      throws IOException {
    String token = request.servletRequest().getParameter("token"); // query string (or form field)
    UnsubscribeToken claim;
    try {
      claim = tokens.verify(token == null ? "" : token);
    } catch (InvalidUnsubscribeTokenException e) {
      return invalid(e);
    }
    String oneClick = request.servletRequest().getParameter("List-Unsubscribe");
    if (oneClick == null) {
      oneClick = readSmallBody(request).contains("List-Unsubscribe=One-Click") ? "One-Click" : null;
    }
    String source = "One-Click".equals(oneClick) ? "one-click" : "unsubscribe-page";
    marketing.unsubscribe(claim.userId(), claim.channel(), source);
    log.info("unsubscribed user {} from {} ({})", claim.userId(), claim.channel(), source);
    return page(200, "Unsubscribed", "<p>You will get no more <b>" + esc(claim.channel())
        + "</b> messages from us.</p>");
  }

  private static String readSmallBody(ServerRequest request) throws IOException {
    try (InputStream in = request.servletRequest().getInputStream()) {
      return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    }
  }

  private static ServerResponse invalid(RuntimeException e) {
    log.debug("unsubscribe: invalid token: {}", e.getMessage());
    return page(400, "Link not valid", "<p>This unsubscribe link is invalid or has expired.</p>");
  }

  private static ServerResponse page(int status, String title, String body) {
    String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}"
        + "button{font-size:1rem;padding:.5rem 1.2rem}</style></head><body><h1>" + esc(title) + "</h1>" + body
        + "</body></html>";
    return ServerResponse.status(HttpStatusCode.valueOf(status)).contentType(MediaType.TEXT_HTML)
        .header("Cache-Control", "no-store").body(html.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code jane.doe@example.com} becomes {@code j***@example.com}. */
  static String mask(String email) {
    int at = email.indexOf('@');
    return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
  }

  private static String esc(String s) {
    return HtmlUtils.htmlEscape(s, "UTF-8");
  }
}
