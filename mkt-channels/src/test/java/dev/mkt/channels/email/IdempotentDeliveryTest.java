package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.OutboxState;
import dev.mkt.channels.EmailFixture;
import dev.mkt.internal.dispatch.TestRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4: the same action dispatched twice, concurrently and across a restart, sends one email. */
class IdempotentDeliveryTest {
  @TempDir Path dir;
  EmailFixture f;

  @BeforeEach
  void setUp() {
    f = new EmailFixture(dir);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void theSameActionDecidedConcurrently_sendsOneEmail() throws Exception {
    f.start(new TestRules());
    f.identify("u1", Map.of("email", "ada@example.com"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      fs.add(pool.submit(() -> {
        go.await();
        f.track(TestRules.ACTION, "u1", "key", "welcome_sequence:u1:welcome_v1", "template", "welcome_v1");
        return null;
      }));
    }
    go.countDown();
    for (Future<?> x : fs) {
      x.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();
    f.settle();
    assertThat(f.received()).hasSize(1);
    assertThat(f.mkt.stats().actionsDecided()).isEqualTo(8);
    assertThat(f.mkt.stats().actionsQueued()).isEqualTo(1);
  }

  @Test
  void theSameActionAfterARestart_sendsNoSecondEmail() throws Exception {
    f.start(new TestRules());
    f.identify("u1", Map.of("email", "ada@example.com"));
    f.track(TestRules.ACTION, "u1", "key", "welcome_sequence:u1:welcome_v1", "template", "welcome_v1");
    f.settle();
    assertThat(f.received()).hasSize(1);
    f.mkt.close();

    f.start(new TestRules());
    f.identify("u1", Map.of("email", "ada@example.com"));
    f.track(TestRules.ACTION, "u1", "key", "welcome_sequence:u1:welcome_v1", "template", "welcome_v1");
    f.settle();
    assertThat(f.received()).hasSize(1);
    assertThat(f.status("welcome_sequence:u1:welcome_v1").state()).isEqualTo(OutboxState.SENT);
  }
}
