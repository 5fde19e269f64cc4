package dev.mkt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
  final QuietHours night = QuietHours.between(LocalTime.of(21, 0), LocalTime.of(8, 0));
  final ZoneId berlin = ZoneId.of("Europe/Berlin");

  @Test
  void anEveningSend_waitsForTomorrowMorning_inTheUsersZone() {
    // 22:30 in Berlin (CET, UTC+1)
    assertThat(night.deferUntil("email", Instant.parse("2025-01-10T21:30:00Z"), berlin))
        .contains(Instant.parse("2025-01-11T07:00:00Z"));
  }

  @Test
  void anEarlyMorningSend_waitsUntilEightTheSameDay() {
    assertThat(night.deferUntil("email", Instant.parse("2025-01-10T04:00:00Z"), berlin))
        .contains(Instant.parse("2025-01-10T07:00:00Z"));
  }

  @Test
  void aDaytimeSend_isNotDeferred_andTheEndIsExclusive() {
    assertThat(night.deferUntil("email", Instant.parse("2025-01-10T12:00:00Z"), berlin)).isEmpty();
    assertThat(night.deferUntil("email", Instant.parse("2025-01-10T07:00:00Z"), berlin)).isEmpty();
    assertThat(night.deferUntil("email", Instant.parse("2025-01-10T20:00:00Z"), berlin)).isPresent();
  }

  @Test
  void onlyTheCoveredChannels_areQuiet() {
    assertThat(night.deferUntil("crm", Instant.parse("2025-01-10T21:30:00Z"), berlin)).isEmpty();
    QuietHours social = night.channels("social");
    assertThat(social.covers("social.linkedin")).isTrue();
    assertThat(social.covers("email")).isFalse();
  }

  @Test
  void aWindowWithinOneDay_works_too() {
    QuietHours lunch = QuietHours.between(LocalTime.of(12, 0), LocalTime.of(14, 0));
    assertThat(lunch.deferUntil("email", Instant.parse("2025-01-10T12:30:00Z"), ZoneId.of("UTC")))
        .contains(Instant.parse("2025-01-10T14:00:00Z"));
    assertThat(lunch.deferUntil("email", Instant.parse("2025-01-10T14:30:00Z"), ZoneId.of("UTC"))).isEmpty();
  }

  @Test
  void theMorningAfterADaylightSavingChange_isStillEightLocal() {
    // Night of 29-30 March 2025: Berlin moves from UTC+1 to UTC+2.
    assertThat(night.deferUntil("email", Instant.parse("2025-03-29T22:00:00Z"), berlin))
        .contains(Instant.parse("2025-03-30T06:00:00Z"));
  }

  @Test
  void equalStartAndEnd_areRejected_namingTheValue() {
    assertThatThrownBy(() -> QuietHours.between(LocalTime.of(8, 0), LocalTime.of(8, 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("08:00");
    assertThat(QuietHours.none().deferUntil("email", Instant.now(), berlin)).isEmpty();
  }
}
