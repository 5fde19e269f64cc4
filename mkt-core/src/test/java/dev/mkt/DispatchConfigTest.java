package dev.mkt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DispatchConfigTest {

  @Test
  void theDefaults_areTheSeedLimits() {
    DispatchLimits l = DispatchLimits.ofDefaults();
    assertThat(l.emailPerHour()).isEqualTo(500);
    assertThat(l.socialPostPerDay()).isEqualTo(3);
    assertThat(l.maxRetries()).isEqualTo(3);
    assertThat(l.rateLimits()).containsExactly(new RateLimit("email", 500, Duration.ofHours(1)),
        new RateLimit("social", 3, Duration.ofDays(1)));
    assertThat(DispatchConfig.ofDefaults().limits()).isSameAs(l);
  }

  @Test
  void badLimits_areRejected_namingTheValue() {
    assertThatThrownBy(() -> DispatchLimits.custom().emailPerHour(-3))
        .hasMessage("emailPerHour must be > 0, but was -3");
    assertThatThrownBy(() -> DispatchLimits.custom().socialPostPerDay(0))
        .hasMessage("socialPostPerDay must be > 0, but was 0");
    assertThatThrownBy(() -> DispatchLimits.custom().maxRetries(-1))
        .hasMessage("maxRetries must be in [0, 100], but was -1");
    assertThatThrownBy(() -> FrequencyCap.of("email", 0, Duration.ofDays(1)))
        .hasMessage("frequency cap for email must be > 0, but was 0");
  }

  @Test
  void extraRateLimits_replaceDefaultsOfTheSameChannel() {
    DispatchLimits l = DispatchLimits.custom().rateLimit("crm", 100, Duration.ofMinutes(1))
        .rateLimit("email", 50, Duration.ofMinutes(1)).build();
    assertThat(l.rateLimits()).containsExactly(new RateLimit("email", 50, Duration.ofMinutes(1)),
        new RateLimit("social", 3, Duration.ofDays(1)), new RateLimit("crm", 100, Duration.ofMinutes(1)));
    assertThat(l.toBuilder().build().rateLimits()).isEqualTo(l.rateLimits());
  }

  @Test
  void badDispatchSettings_areRejected_namingTheValue() {
    assertThatThrownBy(() -> DispatchConfig.custom().concurrency(0))
        .hasMessage("dispatch concurrency must be in [1, 1024], but was 0");
    assertThatThrownBy(() -> DispatchConfig.custom().retryBackoff(Duration.ofSeconds(30), 2, 1.5, Duration.ofHours(1)))
        .hasMessage("retry jitter must be in [0, 1), but was 1.5");
    assertThatThrownBy(() -> DispatchConfig.custom().unsubscribeUrl(URI.create("http://example.com/u")))
        .hasMessageContaining("must be an absolute https URL (RFC 8058), but was http://example.com/u");
    assertThatThrownBy(() -> DispatchConfig.custom().reviewRequired("linkedin", " "))
        .hasMessageContaining("reviewRequired channel must not be blank");
  }

  @Test
  void reviewRequired_matchesChannelsByFamilyAndNetworkName() {
    DispatchConfig c = DispatchConfig.custom().reviewRequired("linkedin", "crm").build();
    assertThat(c.reviewRequired("social.linkedin")).isTrue();
    assertThat(c.reviewRequired("crm")).isTrue();
    assertThat(c.reviewRequired("email")).isFalse();
  }
}
