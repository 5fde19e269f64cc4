package dev.mkt.channels.email;

import dev.mkt.Action;
import dev.mkt.Contact;
import dev.mkt.channels.TemplateFailure;
import dev.mkt.spi.Delivery;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link Delivery} into an {@link EmailMessage}: renders the subject, HTML and text parts in the
 * contact's locale, addresses it, and adds the deliverability headers: {@code List-Unsubscribe} with the signed
 * HTTPS link (and {@code mailto:} if configured), {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}
 * (RFC 8058), the configured custom headers, and a Message-ID derived from the idempotency key.
 */
final class EmailComposer {
  static final List<String> REQUIRED_PARTS = List.of("subject");
  static final List<String> BODY_PARTS = List.of("html", "text");
  static final List<String> PARTS = List.of("subject", "html", "text");

  private final EmailSettings settings;

  EmailComposer(EmailSettings settings) {
    this.settings = settings;
  }

  EmailSettings settings() {
    return settings;
  }

  List<String> checkTemplates(Set<String> templates) {
    return settings.templates.check(templates, REQUIRED_PARTS, BODY_PARTS);
  }

  Optional<String> unreachable(Contact c) {
    return c.email().isEmpty() || c.email().get().isBlank() ? Optional.of("no_address") : Optional.empty();
  }

  EmailMessage compose(Delivery d) throws EmailFailure {
    Action a = d.action();
    Contact c = d.contact();
    InternetAddress to = recipient(c);
    Map<String, Object> ctx = context(d);
    String subject;
    String html;
    String text;
    try {
      subject = settings.templates.render(a.template(), "subject", false, c.locale(), ctx);
      if (subject == null) {
        throw new EmailFailure("template_missing: no template '" + a.template() + "' (" + a.template()
            + "/subject.peb) in " + settings.templates.locations());
      }
      html = settings.templates.render(a.template(), "html", true, c.locale(), ctx);
      text = settings.templates.render(a.template(), "text", false, c.locale(), ctx);
    } catch (TemplateFailure e) {
      throw new EmailFailure(e.getMessage());
    }
    if (html == null && text == null) {
      throw new EmailFailure("template_missing: template '" + a.template() + "' has neither html.peb nor text.peb");
    }
    subject = subject.strip();
    if (!HeaderValues.safe(subject)) {
      throw new EmailFailure("header_injection: the rendered subject of '" + a.template()
          + "' contains a line break or control character");
    }
    if (subject.isEmpty()) {
      throw new EmailFailure("template_error: the rendered subject of '" + a.template() + "' is empty");
    }
    Map<String, String> headers = new LinkedHashMap<>(settings.headers);
    d.unsubscribeUrl().ifPresent(url -> {
      String value = "<" + url.toASCIIString() + ">";
      if (settings.unsubscribeMailto != null) {
        value += ", <mailto:" + settings.unsubscribeMailto + "?subject=unsubscribe>";
      }
      headers.put("List-Unsubscribe", value);
      headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
    });
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (!HeaderValues.safe(h.getValue())) {
        throw new EmailFailure("header_injection: header " + h.getKey() + " contains a line break");
      }
    }
    return new EmailMessage(settings.from, settings.replyTo, to, subject, html, text, Map.copyOf(headers),
        messageId(a.idempotencyKey()), a.idempotencyKey(), a.rule(), a.template());
  }

  /** The recipient, with the contact's name as display name if it is safe to put in a header. */
  private static InternetAddress recipient(Contact c) throws EmailFailure {
    String email = c.email().orElse("");
    if (email.isBlank()) {
      throw new EmailFailure("no_address");
    }
    if (!HeaderValues.safe(email)) {
      throw new EmailFailure("header_injection: the contact's email contains a line break");
    }
    try {
      InternetAddress a = new InternetAddress(email, true);
      a.validate();
      if (a.getPersonal() != null || a.isGroup()) {
        throw new EmailFailure("invalid_address: the contact's email is not a plain address");
      }
      Optional<String> name = c.name().map(String::strip).filter(n -> !n.isEmpty());
      if (name.isPresent() && HeaderValues.safe(name.get())) {
        // Encoded as an RFC 2047 word if it is not ASCII; quoted otherwise.
        return new InternetAddress(a.getAddress(), name.get(), StandardCharsets.UTF_8.name());
      }
      return a; // an unsafe display name is dropped, never written into the header
    } catch (AddressException e) {
      throw new EmailFailure("invalid_address: the contact's email is not a valid address");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Object> context(Delivery d) {
    Action a = d.action();
    Contact c = d.contact();
    Map<String, Object> ctx = new HashMap<>(settings.globals);
    Map<String, Object> contact = new HashMap<>();
    contact.put("userId", c.userId());
    String name = c.name().map(String::strip).orElse("");
    contact.put("name", name);
    contact.put("first_name", name.isEmpty() ? "" : name.split("\\s+")[0]);
    contact.put("email", c.email().orElse(""));
    contact.put("plan", c.plan().orElse(""));
    contact.put("traits", c.traits());
    ctx.put("contact", contact);
    ctx.putAll(a.vars());
    ctx.put("unsubscribe_url", d.unsubscribeUrl().map(Object::toString).orElse(""));
    Map<String, Object> action = new HashMap<>();
    action.put("rule", a.rule());
    action.put("template", a.template());
    action.put("key", a.idempotencyKey());
    ctx.put("action", action);
    return ctx;
  }

  /** {@code <40 hex chars of sha256(key)@domain>}: stable for the action, opaque, no user data. */
  String messageId(String idempotencyKey) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
      return "<" + HexFormat.of().formatHex(h, 0, 20) + "@" + settings.domain + ">";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
