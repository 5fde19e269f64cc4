package dev.mkt.spi;

import dev.mkt.MarketingException;

/** The event log could not do what was asked: I/O failure, closed, record too large. */
public class EventLogException extends MarketingException {
  private static final long serialVersionUID = 1L;

  public EventLogException(String message) {
    super(message);
  }

  public EventLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
