package dev.mkt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantsTest {

  @Test
  void formatsExactlyAsInstantToString_andParsesBack() {
    Random r = new Random(1);
    for (int i = 0; i < 100_000; i++) {
      long sec = r.nextLong() % 253_402_300_799L; // within years 0..9999
      if (sec < -62_167_219_200L) {
        sec = -sec % 253_402_300_799L;
      }
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> r.nextInt(1000) * 1_000_000;
        case 2 -> r.nextInt(1_000_000) * 1_000;
        default -> r.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(sec, nanos);
      String s = Instants.format(t);
      assertThat(s).isEqualTo(t.toString());
      assertThat(Instants.parse(s)).isEqualTo(t);
    }
  }

  @Test
  void otherFormsFallBackToInstantParse() {
    assertThat(Instants.parse("2026-11-28T10:00:00.5Z")).isEqualTo(Instant.parse("2026-11-28T10:00:00.500Z"));
    assertThat(Instants.parse("+12026-01-01T00:00:00Z")).isEqualTo(Instant.parse("+12026-01-01T00:00:00Z"));
    assertThatThrownBy(() -> Instants.parse("2026-02-30T10:00:00Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> Instants.parse("2026-11-28T25:00:00Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> Instants.parse("yesterday")).isInstanceOf(DateTimeParseException.class);
  }
}
