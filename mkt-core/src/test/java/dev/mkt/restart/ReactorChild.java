package dev.mkt.restart;

import dev.mkt.Marketing;
import java.nio.file.Path;
import java.time.Duration;

/** The child process of {@link RestartEquivalenceTest}: processes the pre-filled log until killed or done. */
public final class ReactorChild {
  private ReactorChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    JsonlOutbox outbox = new JsonlOutbox(dir.resolve("actions.jsonl"));
    Marketing mkt = RestartEquivalenceTest.engine(dir, new SeedLikeRules(250_000), outbox, true);
    System.out.println("READY");
    System.out.flush();
    if (mkt.awaitProcessed(Duration.ofMinutes(5))) {
      mkt.close();
      outbox.close();
      System.out.println("DONE");
      System.out.flush();
    }
  }
}
