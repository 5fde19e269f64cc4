package dev.mkt.channels;

/**
 * A template that cannot be rendered for one action: missing, or failing on a variable. The message is the
 * dead-letter reason, e.g. {@code template_error: pro_tip_v1/html.peb line 4: variable 'feature' is not
 * defined}.
 */
public final class TemplateFailure extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateFailure(String reason) {
    super(reason, null, false, false);
  }
}
