package dev.mkt.spi;

import static java.util.Objects.requireNonNull;

import dev.mkt.Contact;
import java.util.Arrays;

/**
 * One user's stored state.
 *
 * @param userId the user
 * @param contact traits and consent
 * @param activity windowed activity, encoded by the engine (opaque to stores; version-tagged)
 */
public record UserRecord(String userId, Contact contact, byte[] activity) {
  public UserRecord {
    requireNonNull(userId, "userId");
    requireNonNull(contact, "contact");
    requireNonNull(activity, "activity");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserRecord && ((UserRecord) o).userId.equals(userId)
        && ((UserRecord) o).contact.equals(contact) && Arrays.equals(((UserRecord) o).activity, activity);
  }

  @Override
  public int hashCode() {
    return userId.hashCode();
  }

  @Override
  public String toString() {
    return "UserRecord{" + userId + ", " + contact + ", activity=" + activity.length + " bytes}";
  }
}
