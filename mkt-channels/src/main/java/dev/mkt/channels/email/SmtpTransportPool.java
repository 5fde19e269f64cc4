package dev.mkt.channels.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kept-open SMTP connections: at most {@code size}, each reused for up to {@code maxMessages} messages, so a
 * burst of emails costs one TCP + TLS + AUTH handshake per connection rather than per message. A connection
 * idle longer than {@code idleCheckMillis} is probed with NOOP before use (servers close idle sessions); one that
 * failed is closed, never returned.
 */
final class SmtpTransportPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpTransportPool.class);

  private final Session session;
  private final String protocol;
  private final String host;
  private final int port;
  private final String username;
  private final String password;
  private final int maxMessages;
  private final long idleCheckMillis;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  /** A pooled connection. */
  static final class Connection {
    final Transport transport;
    int sent;
    long lastUsed;
    boolean fresh;

    Connection(Transport transport) {
      this.transport = transport;
    }
  }

  SmtpTransportPool(Session session, String protocol, String host, int port, String username, String password,
      int size, int maxMessages, long idleCheckMillis) {
    this.session = session;
    this.protocol = protocol;
    this.host = host;
    this.port = port;
    this.username = username;
    this.password = password;
    this.maxMessages = maxMessages;
    this.idleCheckMillis = idleCheckMillis;
    this.permits = new Semaphore(size, true);
  }

  /**
   * A connected transport, or {@code null} if none became free within {@code waitMillis}.
   *
   * @throws MessagingException if connecting failed
   */
  Connection borrow(long waitMillis) throws MessagingException, InterruptedException {
    if (closed) {
      throw new IllegalStateException("SMTP pool is closed");
    }
    if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
      return null;
    }
    try {
      Connection c;
      while ((c = idle.pollFirst()) != null) {
        boolean stale = System.currentTimeMillis() - c.lastUsed > idleCheckMillis;
        // Angus' isConnected() costs a NOOP round trip: only ask after the connection sat idle a while.
        if (!stale || probe(c)) {
          c.fresh = false;
          return c;
        }
        discard(c);
      }
      c = new Connection(session.getTransport(protocol));
      c.transport.connect(host, port, username, password);
      c.fresh = true;
      return c;
    } catch (MessagingException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  /** A NOOP round trip; false if the server has gone. */
  private boolean probe(Connection c) {
    try {
      return c.transport.isConnected(); // Angus sends NOOP when asked on a connected transport
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Returns a connection; {@code healthy=false} closes it. */
  void release(Connection c, boolean healthy) {
    try {
      c.lastUsed = System.currentTimeMillis();
      if (healthy && !closed && c.sent < maxMessages) {
        idle.addFirst(c);
      } else {
        discard(c);
      }
    } finally {
      permits.release();
    }
  }

  private void discard(Connection c) {
    try {
      c.transport.close();
    } catch (MessagingException | RuntimeException e) {
      log.debug("closing an SMTP connection failed: {}", e.toString());
    }
  }

  /**
   * Closes every idle connection: after a connection-level failure (the server went away, restarted, or cut us
   * off) the others are most likely dead too, and the next send should open a fresh one rather than find out.
   */
  void drainIdle() {
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      discard(c);
    }
  }

  int idleConnections() {
    return idle.size();
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      discard(c);
    }
  }
}
