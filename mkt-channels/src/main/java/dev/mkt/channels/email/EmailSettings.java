package dev.mkt.channels.email;

import dev.mkt.channels.TemplateSet;
import dev.mkt.spi.ChannelContext;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The email settings every email provider shares, read from the channel properties (see docs/email.md):
 *
 * <ul>
 *   <li>{@code email.from} (required): {@code Acme <hello@mail.acme.com>};</li>
 *   <li>{@code email.reply-to}: where replies go (a monitored inbox on the main domain);</li>
 *   <li>{@code email.domain}: the dedicated marketing subdomain (default: From's domain); From must be on it,
 *       and Message-IDs use it;</li>
 *   <li>{@code email.templates}: template locations, comma-separated, searched in order
 *       ({@code classpath:...} or a directory); the shipped templates are searched last unless
 *       {@code email.shipped-templates=false};</li>
 *   <li>{@code email.product.name}, {@code email.product.url}: what templates call the product;</li>
 *   <li>{@code email.var.<name>}: more template variables; {@code email.headers.<Name>}: extra headers;</li>
 *   <li>{@code email.unsubscribe-mailto}: an address for {@code mailto:} one-click unsubscribes, in addition to
 *       the HTTPS link.</li>
 * </ul>
 */
final class EmailSettings {
  static final String SHIPPED = "classpath:mkt/templates/email";
  static final String DOCS = "docs/email.md";

  final InternetAddress from;
  final InternetAddress replyTo;
  final String domain;
  final Map<String, String> headers;
  final Map<String, Object> globals;
  final String unsubscribeMailto;
  final TemplateSet templates;

  private EmailSettings(InternetAddress from, InternetAddress replyTo, String domain, Map<String, String> headers,
      Map<String, Object> globals, String unsubscribeMailto, TemplateSet templates) {
    this.from = from;
    this.replyTo = replyTo;
    this.domain = domain;
    this.headers = headers;
    this.globals = globals;
    this.unsubscribeMailto = unsubscribeMailto;
    this.templates = templates;
  }

  static EmailSettings from(ChannelContext ctx) {
    InternetAddress from = address(ctx, "from", ctx.requireProperty("from"));
    InternetAddress replyTo = ctx.property("reply-to").map(v -> address(ctx, "reply-to", v)).orElse(null);
    String fromDomain = from.getAddress().substring(from.getAddress().indexOf('@') + 1).toLowerCase(Locale.ROOT);
    String domain = ctx.property("domain").map(d -> d.toLowerCase(Locale.ROOT)).orElse(fromDomain);
    if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      throw ctx.invalid("domain", "must be a domain name such as mail.example.com, but was '" + domain + "'");
    }
    if (!fromDomain.equals(domain)) {
      throw ctx.invalid("from", "must be an address on the marketing domain " + domain + " (email.domain), but is on "
          + fromDomain + "; sending marketing mail from the main domain risks its reputation; see " + DOCS
          + "#deliverability");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    ctx.properties("headers").forEach((name, value) -> {
      if (!HeaderValues.validName(name)) {
        throw ctx.invalid("headers." + name, "is not a valid header name");
      }
      if (HeaderValues.reserved(name)) {
        throw ctx.invalid("headers." + name, "is a header mkt sets itself and cannot be configured");
      }
      if (!HeaderValues.safe(value)) {
        throw ctx.invalid("headers." + name, "must not contain CR, LF or control characters (header injection)");
      }
      headers.put(name, value);
    });
    Map<String, Object> globals = new LinkedHashMap<>(ctx.properties("var"));
    Map<String, Object> product = new LinkedHashMap<>();
    product.put("name", ctx.property("product.name").orElse(from.getPersonal() != null ? from.getPersonal()
        : domain));
    product.put("url", ctx.property("product.url").orElse(""));
    globals.put("product", product);
    String mailto = ctx.property("unsubscribe-mailto").map(v -> address(ctx, "unsubscribe-mailto", v).getAddress())
        .orElse(null);

    List<String> locations = new ArrayList<>();
    ctx.property("templates").ifPresent(v -> {
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          locations.add(s.trim());
        }
      }
    });
    if (ctx.booleanProperty("shipped-templates", true) && !locations.contains(SHIPPED)) {
      locations.add(SHIPPED);
    }
    if (locations.isEmpty()) {
      throw ctx.invalid("templates", "names no location and shipped templates are off");
    }
    TemplateSet templates;
    try {
      templates = TemplateSet.load(locations, EmailComposer.PARTS, EmailSettings.class.getClassLoader());
    } catch (IllegalArgumentException e) {
      throw ctx.invalid("templates", e.getMessage());
    }
    return new EmailSettings(from, replyTo, domain, Map.copyOf(headers), globals, mailto, templates);
  }

  private static InternetAddress address(ChannelContext ctx, String name, String value) {
    if (!HeaderValues.safe(value)) {
      throw ctx.invalid(name, "must not contain CR, LF or control characters (header injection)");
    }
    try {
      InternetAddress a = new InternetAddress(value, true);
      a.validate();
      if (a.getPersonal() != null && !HeaderValues.safe(a.getPersonal())) {
        throw ctx.invalid(name, "has a display name with control characters");
      }
      return a;
    } catch (AddressException e) {
      throw ctx.invalid(name, "must be an address like 'Acme <hello@mail.acme.com>', but was '" + value + "' ("
          + e.getMessage() + ")");
    }
  }
}
