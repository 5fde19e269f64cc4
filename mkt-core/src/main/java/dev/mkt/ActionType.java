package dev.mkt;

import java.util.Locale;

/** What an {@link Action} asks for. Each kind has a wire name used in JSON, replay output and config. */
public enum ActionType {
  /** Send a templated email. Channel {@code email}. */
  SEND_EMAIL("send_email", "email"),
  /** Show an in-app message or prompt (e.g. a review request). Channel {@code in_app}. */
  IN_APP("in_app", "in_app"),
  /** Create a task for a human, e.g. a retention review. Channel {@code crm}. */
  CREATE_TASK("create_task", "crm"),
  /** Post to a social network. Channel {@code social.<network>}, e.g. {@code social.linkedin}. */
  POST_SOCIAL("post_social", "social"),
  /** Create or update a CRM lead/contact record. Channel {@code crm}. */
  UPDATE_CRM("update_crm", "crm");

  private final String wireName;
  private final String defaultChannel;

  ActionType(String wireName, String defaultChannel) {
    this.wireName = wireName;
    this.defaultChannel = defaultChannel;
  }

  /** The name in JSON and configuration, e.g. {@code send_email}. */
  public String wireName() {
    return wireName;
  }

  /** The channel an action of this type goes to unless it names another. */
  public String defaultChannel() {
    return defaultChannel;
  }

  /**
   * Parses a wire name ({@code send_email}) or constant name ({@code SEND_EMAIL}). The seed's
   * {@code create_ticket} is an alias of {@code create_task}.
   */
  public static ActionType fromWireName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("create_ticket")) {
      return CREATE_TASK;
    }
    for (ActionType t : values()) {
      if (t.wireName.equals(n)) {
        return t;
      }
    }
    throw new IllegalArgumentException("action must be one of send_email, in_app, create_task (create_ticket), "
        + "post_social, update_crm, but was '" + name + "'");
  }
}
