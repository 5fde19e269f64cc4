package dev.mkt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {
  // The reference vector of the Standard Webhooks libraries.
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long TS = 1614265330;
  static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  static final Clock AT_TS = Clock.fixed(Instant.ofEpochSecond(TS), ZoneOffset.UTC);
  static final StandardWebhooks HOOKS = StandardWebhooks.of(List.of(SECRET), Duration.ofMinutes(5), AT_TS);

  @Test
  void sign_matchesTheReferenceVector() {
    assertThat(HOOKS.sign(ID, TS, BODY)).isEqualTo(SIGNATURE);
  }

  @Test
  void verify_acceptsTheReferenceVector() {
    HOOKS.verify(ID, Long.toString(TS), SIGNATURE, BODY);
  }

  @Test
  void verify_rejectsATamperedBody() {
    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> HOOKS.verify(ID, Long.toString(TS), SIGNATURE, tampered))
        .isInstanceOfSatisfying(WebhookSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(WebhookSignatureException.Reason.NO_MATCHING_SIGNATURE));
  }

  @Test
  void verify_rejectsATamperedId() {
    assertThatThrownBy(() -> HOOKS.verify("msg_other", Long.toString(TS), SIGNATURE, BODY))
        .isInstanceOf(WebhookSignatureException.class);
  }

  @Test
  void verify_rejectsASignatureByAnotherSecret() {
    StandardWebhooks other = StandardWebhooks.of(List.of(StandardWebhooks.newSecret()), Duration.ofMinutes(5),
        AT_TS);
    String forged = other.sign(ID, TS, BODY);
    assertThatThrownBy(() -> HOOKS.verify(ID, Long.toString(TS), forged, BODY))
        .isInstanceOfSatisfying(WebhookSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(WebhookSignatureException.Reason.NO_MATCHING_SIGNATURE));
  }

  @Test
  void verify_rejectsAStaleTimestamp() {
    Clock later = Clock.offset(AT_TS, Duration.ofMinutes(5).plusSeconds(1));
    StandardWebhooks hooks = StandardWebhooks.of(List.of(SECRET), Duration.ofMinutes(5), later);
    assertThatThrownBy(() -> hooks.verify(ID, Long.toString(TS), SIGNATURE, BODY))
        .isInstanceOfSatisfying(WebhookSignatureException.class, e -> {
          assertThat(e.reason()).isEqualTo(WebhookSignatureException.Reason.TIMESTAMP_OUT_OF_TOLERANCE);
          assertThat(e.getMessage()).contains("301 s old");
        });
  }

  @Test
  void verify_rejectsATimestampTooFarInTheFuture() {
    Clock earlier = Clock.offset(AT_TS, Duration.ofMinutes(-6));
    StandardWebhooks hooks = StandardWebhooks.of(List.of(SECRET), Duration.ofMinutes(5), earlier);
    assertThatThrownBy(() -> hooks.verify(ID, Long.toString(TS), SIGNATURE, BODY))
        .isInstanceOfSatisfying(WebhookSignatureException.class,
            e -> assertThat(e.getMessage()).contains("in the future"));
  }

  @Test
  void verify_acceptsATimestampAtTheEdgeOfTheTolerance() {
    Clock edge = Clock.offset(AT_TS, Duration.ofMinutes(5));
    StandardWebhooks.of(List.of(SECRET), Duration.ofMinutes(5), edge).verify(ID, Long.toString(TS), SIGNATURE, BODY);
  }

  @Test
  void verify_acceptsTheOldSecretWhileRotating() {
    StandardWebhooks rotating = StandardWebhooks.of(List.of(StandardWebhooks.newSecret(), SECRET),
        Duration.ofMinutes(5), AT_TS);
    rotating.verify(ID, Long.toString(TS), SIGNATURE, BODY);
  }

  @Test
  void verify_findsTheValidOneAmongSeveralSignatures() {
    String header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
        + SIGNATURE + " v1a,abc v1,not-base64!";
    HOOKS.verify(ID, Long.toString(TS), header, BODY);
  }

  @Test
  void verify_ignoresOtherSignatureVersions() {
    String header = "v2," + SIGNATURE.substring(3);
    assertThatThrownBy(() -> HOOKS.verify(ID, Long.toString(TS), header, BODY))
        .isInstanceOf(WebhookSignatureException.class);
  }

  @Test
  void verify_rejectsMissingHeaders() {
    assertThatThrownBy(() -> HOOKS.verify(null, Long.toString(TS), SIGNATURE, BODY))
        .isInstanceOfSatisfying(WebhookSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(WebhookSignatureException.Reason.MISSING_HEADERS));
  }

  @Test
  void verify_rejectsANonNumericTimestamp() {
    assertThatThrownBy(() -> HOOKS.verify(ID, "yesterday", SIGNATURE, BODY))
        .isInstanceOfSatisfying(WebhookSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(WebhookSignatureException.Reason.MALFORMED_HEADERS));
  }

  @Test
  void verify_rejectsAnIdWithADot() {
    assertThatThrownBy(() -> HOOKS.verify("msg.1", Long.toString(TS), SIGNATURE, BODY))
        .isInstanceOfSatisfying(WebhookSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(WebhookSignatureException.Reason.MALFORMED_HEADERS));
  }

  @Test
  void of_rejectsAShortSecretWithoutPrintingIt() {
    assertThatThrownBy(() -> StandardWebhooks.of(List.of(SECRET, "whsec_c2hvcnQ="), Duration.ofMinutes(5), AT_TS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("webhook signing secret [1] must decode to 24..64 bytes, but decoded to 5");
  }

  @Test
  void of_rejectsASecretThatIsNotBase64() {
    assertThatThrownBy(() -> StandardWebhooks.of(List.of("whsec_%%%%"), Duration.ofMinutes(5), AT_TS))
        .hasMessageContaining("[0]").hasMessageNotContaining("%%%%");
  }
}
