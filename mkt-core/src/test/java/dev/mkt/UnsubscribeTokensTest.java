package dev.mkt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.test.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UnsubscribeTokensTest {
  static final String SECRET = "k3y-for-tests-k3y-for-tests-k3y-for-tests";
  final MutableClock clock = MutableClock.at("2025-03-03T12:00:00Z");
  final UnsubscribeTokens tokens = UnsubscribeTokens.custom(SECRET).ttl(Duration.ofDays(30)).clock(clock).build();

  @Test
  void aSignedToken_verifiesToItsUserAndChannel() {
    UnsubscribeToken t = tokens.verify(tokens.sign("user-42", "email"));
    assertThat(t.userId()).isEqualTo("user-42");
    assertThat(t.channel()).isEqualTo("email");
    assertThat(t.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
  }

  @Test
  void theTokenIsUrlSafe_andCarriesNoAddress() {
    String token = tokens.sign("user-42", "email");
    assertThat(token).matches("[A-Za-z0-9_.-]+");
    URI link = tokens.link(URI.create("https://app.example.com/mkt/unsubscribe?src=mail"), "user-42", "email");
    assertThat(link.toString()).startsWith("https://app.example.com/mkt/unsubscribe?src=mail&token=");
  }

  @Test
  void anExpiredToken_isRefused() {
    String token = tokens.sign("user-42", "email");
    clock.advance(Duration.ofDays(30));
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidUnsubscribeTokenException.class)
        .satisfies(e -> assertThat(((InvalidUnsubscribeTokenException) e).reason())
            .isEqualTo(InvalidUnsubscribeTokenException.Reason.EXPIRED));
  }

  @Test
  void anAlteredToken_isRefused() {
    String token = tokens.sign("user-42", "email");
    String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("user-42", "user-43")
        .getBytes()) + token.substring(token.indexOf('.'));
    assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(InvalidUnsubscribeTokenException.class)
        .hasMessageContaining("signature");
    assertThatThrownBy(() -> tokens.verify("not-a-token")).isInstanceOf(InvalidUnsubscribeTokenException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void aTokenSignedWithAnotherSecret_isRefused_unlessItIsAPreviousSecret() {
    UnsubscribeTokens old = UnsubscribeTokens.custom("the-old-secret-the-old-secret-the-old").clock(clock).build();
    String token = old.sign("user-42", "email");
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidUnsubscribeTokenException.class);
    UnsubscribeTokens rotated = UnsubscribeTokens.custom(SECRET).previousSecret("the-old-secret-the-old-secret-the-old")
        .clock(clock).build();
    assertThat(rotated.verify(token).userId()).isEqualTo("user-42");
  }

  @Test
  void aShortSecret_isRejected_namingItsLength() {
    assertThatThrownBy(() -> UnsubscribeTokens.custom("short"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret must be at least 32 bytes, but was 5");
  }
}
