package dev.mkt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.spi.RuleEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketingSmokeTest {
  @TempDir Path dir;

  @Test
  void tracksAndReacts() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    RuleEngine rules = (e, c, a) -> {
      seen.incrementAndGet();
      return List.of();
    };
    try (Marketing mkt = Marketing.builder().dataDirectory(dir).ruleEngine(rules).build()) {
      TrackResult r = mkt.track(MarketingEvent.builder(EventTypes.SIGNUP, "u1").id("e1").put("email_verified", true).build());
      assertThat(r.isAccepted()).isTrue();
      assertThat(mkt.track(MarketingEvent.builder(EventTypes.SIGNUP, "u1").id("e1").build()).isDuplicate()).isTrue();
      r.durable().get();
      assertThat(mkt.awaitProcessed(Duration.ofSeconds(5))).isTrue();
      assertThat(seen.get()).isEqualTo(1);
      assertThat(mkt.contact("u1").traits()).containsEntry("email_verified", true);
    }
    try (Marketing mkt = Marketing.builder().dataDirectory(dir).ruleEngine(rules).build()) {
      assertThat(mkt.track(MarketingEvent.builder(EventTypes.SIGNUP, "u1").id("e1").build()).isDuplicate()).isTrue();
    }
  }
}
