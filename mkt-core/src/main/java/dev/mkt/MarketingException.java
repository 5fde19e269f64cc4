package dev.mkt;

/** The base of mkt's unchecked exceptions. Each subtype names the thing that failed and its state. */
public class MarketingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MarketingException(String message) {
    super(message);
  }

  public MarketingException(String message, Throwable cause) {
    super(message, cause);
  }
}
