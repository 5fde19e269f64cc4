package dev.mkt.channels.email;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.activation.DataHandler;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** Builds the MIME form of an {@link EmailMessage}: multipart/alternative (text, then HTML), UTF-8. */
final class MimeMessages {
  private MimeMessages() {}

  static MimeMessage build(Session session, EmailMessage m, Instant date) throws MessagingException {
    MimeMessage mime = new StableIdMimeMessage(session, m.messageId());
    mime.setFrom(m.from());
    if (m.replyTo() != null) {
      mime.setReplyTo(new jakarta.mail.Address[] {m.replyTo()});
    }
    mime.setRecipient(Message.RecipientType.TO, m.to());
    mime.setSubject(m.subject(), StandardCharsets.UTF_8.name());
    mime.setSentDate(Date.from(date));
    if (m.html() != null && m.text() != null) {
      MimeMultipart alt = new MimeMultipart("alternative");
      alt.addBodyPart(part(m.text(), "text/plain")); // least preferred first (RFC 2046 5.1.4)
      alt.addBodyPart(part(m.html(), "text/html"));
      mime.setContent(alt);
    } else if (m.html() != null) {
      mime.setDataHandler(data(m.html(), "text/html"));
    } else {
      mime.setDataHandler(data(m.text(), "text/plain"));
    }
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      mime.setHeader(h.getKey(), encode(h.getKey(), h.getValue()));
    }
    mime.saveChanges();
    return mime;
  }

  /**
   * A body part from UTF-8 bytes. Content given as a data source is written as is (jakarta-mail picks the
   * transfer encoding from the bytes), without a synchronized mailcap lookup of a content handler per part.
   */
  private static MimeBodyPart part(String content, String type) throws MessagingException {
    MimeBodyPart p = new MimeBodyPart();
    p.setDataHandler(data(content, type));
    return p;
  }

  private static DataHandler data(String content, String type) {
    return new DataHandler(new ByteArrayDataSource(content.getBytes(StandardCharsets.UTF_8),
        type + "; charset=UTF-8"));
  }

  /** Values were checked for CR/LF; non-ASCII ones become RFC 2047 words, long ones are folded. */
  private static String encode(String name, String value) {
    try {
      String v = isAscii(value) ? value : MimeUtility.encodeText(value, StandardCharsets.UTF_8.name(), "Q");
      return MimeUtility.fold(name.length() + 2, v);
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** A MimeMessage whose Message-ID is ours (jakarta-mail would generate a random one on save). */
  static final class StableIdMimeMessage extends MimeMessage {
    private final String messageId;

    StableIdMimeMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
