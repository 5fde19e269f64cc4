package dev.mkt.spi;

import dev.mkt.internal.state.EmbeddedStateStore;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * Durable per-user state: the contact and the windowed activity (as opaque bytes the engine encodes), stored
 * as of a position in the event log.
 *
 * <p>The engine keeps hot users in memory and calls {@link #checkpoint} with the users that changed since the
 * last checkpoint and the log position their state reflects. After a restart it loads {@link #position()}
 * and replays the log from there, so the state it ends with is exactly the state it would have had without
 * the restart, and the rules decide exactly the same. That makes the atomicity of {@code checkpoint} the one
 * hard requirement: after a crash, a store shows either all of a checkpoint or none of it.
 *
 * <p>{@link #load} may be called from any thread (dispatch reads contacts at send time); {@code checkpoint}
 * from one thread at a time. Every implementation passes {@code StateStoreContract}.
 */
public interface StateStore extends AutoCloseable {

  /** The log position the stored state reflects: every event before it is included, none after. 0 if new. */
  long position();

  /** The stored record of a user, as of {@link #position()}. */
  Optional<UserRecord> load(String userId);

  /**
   * Stores the changed users' records and the new position, atomically.
   *
   * @throws IllegalArgumentException if {@code position} is before {@link #position()}
   */
  void checkpoint(Collection<UserRecord> changed, long position);

  /** How many users are stored. */
  long size();

  @Override
  default void close() {}

  /**
   * The embedded default: a checkpoint journal (CRC-framed segment files, as the event log) under
   * {@code directory}, compacted when it outgrows the live data.
   */
  static StateStore embedded(Path directory) {
    return EmbeddedStateStore.open(directory);
  }
}
