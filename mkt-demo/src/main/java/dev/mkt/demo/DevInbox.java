package dev.mkt.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The development SMTP inbox: a GreenMail SMTP server in the demo's JVM, on a free loopback port. The mkt email
 * channel is pointed at it, so every email the rules send arrives here and shows on {@code /inbox}.
 */
public final class DevInbox implements AutoCloseable {
  private final GreenMail greenMail;

  /** Starts an SMTP server on {@code port} (0 picks a free one). */
  public DevInbox(int port) {
    ServerSetup setup = new ServerSetup(port, InetAddress.getLoopbackAddress().getHostAddress(),
        ServerSetup.PROTOCOL_SMTP);
    setup.setServerStartupTimeout(5000);
    setup.setVerbose(false);
    this.greenMail = new GreenMail(setup);
    greenMail.start();
  }

  /** The port it listens on. */
  public int port() {
    return greenMail.getSmtp().getPort();
  }

  /** The messages received, newest first. */
  public List<Mail> mails() {
    MimeMessage[] received = greenMail.getReceivedMessages();
    List<Mail> out = new ArrayList<>(received.length);
    for (int i = 0; i < received.length; i++) {
      out.add(Mail.of(i, received[i]));
    }
    Collections.reverse(out);
    return out;
  }

  /** One received message, or {@code null}. */
  public Mail mail(int index) {
    MimeMessage[] received = greenMail.getReceivedMessages();
    return index >= 0 && index < received.length ? Mail.of(index, received[index]) : null;
  }

  /** How many arrived. */
  public int count() {
    return greenMail.getReceivedMessages().length;
  }

  /** Waits until at least {@code count} messages arrived. */
  public boolean await(int count, long timeoutMillis) {
    return greenMail.waitForIncomingEmail(timeoutMillis, count);
  }

  @Override
  public void close() {
    greenMail.stop();
  }

  /**
   * A received message.
   *
   * @param index its position in arrival order
   */
  public record Mail(int index, String to, String from, String subject, java.util.Date sent, String html,
      String text, String listUnsubscribe, String messageId) {

    static Mail of(int index, MimeMessage m) {
      try {
        String to = m.getRecipients(jakarta.mail.Message.RecipientType.TO) == null ? ""
            : m.getRecipients(jakarta.mail.Message.RecipientType.TO)[0].toString();
        String from = m.getFrom() == null ? "" : m.getFrom()[0].toString();
        Parts parts = new Parts();
        parts.collect(m);
        return new Mail(index, to, from, m.getSubject(), m.getSentDate(), parts.html, parts.text,
            m.getHeader("List-Unsubscribe", ","), m.getMessageID());
      } catch (MessagingException | IOException e) {
        return new Mail(index, "?", "?", "(unreadable: " + e.getMessage() + ")", null, null, null, null, null);
      }
    }
  }

  private static final class Parts {
    String html;
    String text;

    void collect(jakarta.mail.Part p) throws MessagingException, IOException {
      if (p.isMimeType("text/html") && html == null) {
        html = p.getContent().toString();
      } else if (p.isMimeType("text/plain") && text == null) {
        text = p.getContent().toString();
      } else if (p.isMimeType("multipart/*")) {
        jakarta.mail.Multipart mp = (jakarta.mail.Multipart) p.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
          collect(mp.getBodyPart(i));
        }
      }
    }
  }
}
