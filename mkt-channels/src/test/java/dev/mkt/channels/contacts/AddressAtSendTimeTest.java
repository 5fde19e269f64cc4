package dev.mkt.channels.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.EventTypes;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.channels.EmailFixture;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules decide; dispatch resolves the address when it sends (issue 6). Real SMTP (GreenMail), the shipped seed
 * DRL and templates.
 */
class AddressAtSendTimeTest {
  static final String WELCOME = "welcome:u1:once:email/welcome_v1";
  static final String DAY2 = "welcome:u1:once:email/welcome_day2";

  @TempDir Path dir;
  EmailFixture f;

  @BeforeEach
  void setUp() {
    f = new EmailFixture(dir);
    f.startWithSeedRules();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private List<String> recipients() {
    return f.received(m -> m.getRecipients(Message.RecipientType.TO)[0].toString());
  }

  @Test
  void aContactIdentifiedAfterTheirSignup_stillGetsTheScheduledWelcomeMails() throws Exception {
    f.track(EventTypes.SIGNUP, "u1", "email_verified", true); // the signup event carries no address
    f.settle();
    assertThat(f.status(WELCOME).state()).isEqualTo(OutboxState.SUPPRESSED);
    assertThat(f.status(WELCOME).reason()).contains("no_address");
    assertThat(f.status(DAY2).state()).isNotIn(OutboxState.SENT, OutboxState.SUPPRESSED, OutboxState.DEAD);

    f.identify("u1", Map.of("email", "late@example.com", "name", "Lee"));
    f.settle();
    f.clock.advance(Duration.ofDays(2));
    f.settle();
    assertThat(f.status(DAY2).state()).isEqualTo(OutboxState.SENT);
    assertThat(recipients()).containsExactly("Lee <late@example.com>"); // name from identify, too
  }

  @Test
  void anEmailChangedBetweenDecisionAndSend_isTheOneUsed() throws Exception {
    f.track(EventTypes.SIGNUP, "u1", "email", "old@example.com", "email_verified", true);
    f.settle();
    assertThat(recipients()).containsExactly("old@example.com");
    f.identify("u1", Map.of("email", "new@example.com"));
    f.settle();
    f.clock.advance(Duration.ofDays(2));
    f.settle();
    assertThat(recipients()).containsExactly("old@example.com", "new@example.com");
    MimeMessage day2 = f.received()[1];
    assertThat(day2.getSubject()).isEqualTo("Your second day with Acme: one tip");
  }

  @Test
  void noAddress_isSuppressedWithAReason_andNothingIsSent() throws Exception {
    f.track(EventTypes.PAYMENT_FAILED, "u1", "retry_count", 1);
    f.settle();
    List<OutboxEntry> entries = List.of(f.status("payment_recovery:u1:ev-1:email/payment_recovery_v1"));
    assertThat(entries).singleElement().satisfies(e -> {
      assertThat(e.state()).isEqualTo(OutboxState.SUPPRESSED);
      assertThat(e.reason()).contains("no_address");
    });
    assertThat(f.received()).isEmpty();
  }
}
