package dev.mkt.channels.email;

import dev.mkt.Contact;
import dev.mkt.channels.Redaction;
import dev.mkt.spi.Channel;
import dev.mkt.spi.Delivery;
import dev.mkt.spi.DeliveryResult;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email over SMTP (jakarta-mail, Angus) through a pool of kept-open connections. Replies are classified: 4xx and
 * connection trouble are {@code retryLater} (backoff, breaker, failover), 5xx are {@code failed} (dead letter),
 * authentication failures are {@code retryLater} so a wrong password trips the breaker and fails over instead
 * of killing every queued email. Reasons never contain addresses.
 */
final class SmtpChannel implements Channel {
  private static final Logger log = LoggerFactory.getLogger(SmtpChannel.class);

  private final EmailComposer composer;
  private final Session session;
  private final SmtpTransportPool pool;
  private final Clock clock;
  private final long borrowWaitMillis;
  private final String server;

  SmtpChannel(EmailComposer composer, Session session, SmtpTransportPool pool, Clock clock, long borrowWaitMillis,
      String server) {
    this.composer = composer;
    this.session = session;
    this.pool = pool;
    this.clock = clock;
    this.borrowWaitMillis = borrowWaitMillis;
    this.server = server;
  }

  @Override
  public DeliveryResult deliver(Delivery d) {
    EmailMessage m;
    MimeMessage mime;
    try {
      m = composer.compose(d);
      mime = MimeMessages.build(session, m, clock.instant());
    } catch (EmailFailure e) {
      return DeliveryResult.failed(e.reason());
    } catch (MessagingException e) {
      return DeliveryResult.failed("mime_error: " + Redaction.emails(e.getMessage()));
    }
    SmtpTransportPool.Connection c;
    try {
      c = pool.borrow(borrowWaitMillis);
    } catch (AuthenticationFailedException e) {
      return DeliveryResult.retryLater("smtp_auth_failed: " + server + " refused the credentials: "
          + Redaction.emails(e.getMessage()));
    } catch (MessagingException e) {
      return DeliveryResult.retryLater("smtp_connect_failed: " + server + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DeliveryResult.retryLater("interrupted");
    }
    if (c == null) {
      return DeliveryResult.retryLater("smtp_pool_exhausted: no connection to " + server + " became free");
    }
    boolean healthy = false;
    try {
      c.transport.sendMessage(mime, mime.getAllRecipients());
      c.sent++;
      healthy = true;
      return DeliveryResult.sent(m.messageId());
    } catch (SendFailedException e) {
      healthy = true; // the session is fine; the server refused this message
      return classify(e);
    } catch (MessagingException e) {
      DeliveryResult r = classify(e);
      if (r.status() == DeliveryResult.Status.RETRY && smtpCode(e) < 0) {
        pool.drainIdle(); // the connection broke, not a server reply: the idle ones are suspect too
      }
      return r;
    } finally {
      pool.release(c, healthy);
    }
  }

  /** The SMTP reply code in the exception chain, or -1 if the failure was not a server reply. */
  private static int smtpCode(MessagingException e) {
    for (Exception x = e; x != null; x = x instanceof MessagingException ? ((MessagingException) x).getNextException()
        : null) {
      if (x instanceof SMTPAddressFailedException) {
        return ((SMTPAddressFailedException) x).getReturnCode();
      }
      if (x instanceof SMTPSendFailedException) {
        return ((SMTPSendFailedException) x).getReturnCode();
      }
    }
    return -1;
  }

  /** 5xx: permanent for this message. 4xx and everything else: try again. */
  private DeliveryResult classify(MessagingException e) {
    int code = smtpCode(e);
    String reason = "smtp " + (code > 0 ? code + " " : "") + describe(e);
    if (code >= 500 && code < 600) {
      return DeliveryResult.failed(reason);
    }
    log.debug("SMTP send via {} failed transiently: {}", server, reason);
    return DeliveryResult.retryLater(reason);
  }

  private static String describe(MessagingException e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      msg += " (" + cause.getClass().getSimpleName() + (cause.getMessage() != null ? ": " + cause.getMessage() : "")
          + ")";
    }
    return Redaction.emails(msg.replaceAll("\\s+", " "));
  }

  @Override
  public Optional<String> unreachable(Contact contact) {
    return composer.unreachable(contact);
  }

  @Override
  public List<String> checkTemplates(Set<String> templates) {
    return composer.checkTemplates(templates);
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "SmtpChannel{" + server + '}';
  }
}
