package dev.mkt.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.FsyncPolicy;
import dev.mkt.Marketing;
import dev.mkt.MarketingEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketingHealthTest {
  @TempDir Path dir;

  @Test
  void up_whileTheReactorKeepsUp() throws Exception {
    try (Marketing mkt = Marketing.builder().dataDirectory(dir).fsync(FsyncPolicy.never()).build()) {
      mkt.track(MarketingEvent.builder("signup", "u1").build());
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(5))).isTrue();
      MarketingHealth.Report r = new MarketingHealth(mkt, null, null, 10).check();
      assertThat(r.up()).isTrue();
      assertThat(r.details()).containsKeys("reactor", "events", "actions", "dispatch");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void down_whenTheReactorLagsBeyondMaxLag_namingWhy() {
    try (Marketing mkt = Marketing.builder().dataDirectory(dir).fsync(FsyncPolicy.never()).startReactor(false)
        .build()) {
      for (int i = 0; i < 3; i++) {
        mkt.track(MarketingEvent.builder("signup", "u" + i).build());
      }
      MarketingHealth.Report r = new MarketingHealth(mkt, null, null, 2).check();
      assertThat(r.up()).isFalse();
      assertThat((Map<String, Object>) r.details().get("reactor")).containsEntry("lag", 3L);
      assertThat(r.details().get("reason")).asString().contains("reactor lag 3 exceeds mkt.actuator.max-lag 2");
    }
  }
}
