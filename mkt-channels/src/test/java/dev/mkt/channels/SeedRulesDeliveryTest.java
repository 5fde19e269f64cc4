package dev.mkt.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.EventTypes;
import dev.mkt.OutboxEntry;
import dev.mkt.OutboxState;
import dev.mkt.channels.inapp.InAppInbox;
import dev.mkt.rules.DrlRuleEngine;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped seed rules (mkt-rules' DRL) with the shipped channels and templates: every template the rules use
 * exists (checked at start-up), and the welcome sequence and the power-user prompt arrive for real.
 */
class SeedRulesDeliveryTest {
  @TempDir Path dir;
  EmailFixture f;
  DrlRuleEngine rules;

  @BeforeEach
  void setUp() {
    f = new EmailFixture(dir);
    rules = f.startWithSeedRules();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private List<String> subjects() {
    return f.received(MimeMessage::getSubject);
  }

  @Test
  void theSeedRulesTemplates_allExist_andTheStartupCheckSawThem() {
    assertThat(rules.templatesReferenced()).contains("email/welcome_v1", "email/welcome_day2", "email/welcome_day5",
        "email/pro_tip_v1", "email/payment_recovery_v1", "email/winback_survey_v1", "email/help_offering",
        "in_app/review_request");
    assertThat(f.mkt.dispatch().stats().breakers()).containsKeys("email.smtp", "in_app.inbox");
  }

  @Test
  void aVerifiedSignup_getsTheWelcomeSequence_onItsSchedule() throws Exception {
    f.track(EventTypes.SIGNUP, "u1", "email", "ada@example.com", "name", "Ada Lovelace", "email_verified", true);
    f.settle();
    assertThat(subjects()).containsExactly("Welcome to Acme, Ada");
    f.clock.advance(Duration.ofDays(2));
    f.settle();
    assertThat(subjects()).containsExactly("Welcome to Acme, Ada", "Your second day with Acme: one tip");
    f.clock.advance(Duration.ofDays(3));
    f.settle();
    assertThat(subjects()).containsExactly("Welcome to Acme, Ada", "Your second day with Acme: one tip",
        "How is Acme working for you?");
    MimeMessage first = f.received()[0];
    assertThat(first.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
  }

  @Test
  void aPowerUser_getsTheProTipEmail_andTheInAppReviewRequest() throws Exception {
    f.track(EventTypes.SIGNUP, "u2", "email", "max@example.com", "email_verified", false);
    for (int i = 0; i < 6; i++) {
      f.clock.advance(Duration.ofMinutes(10));
      f.track("feature_usage", "u2", "feature_name", "CSV export");
    }
    f.settle();
    assertThat(subjects()).containsExactly("A pro tip for CSV export");
    InAppInbox inbox = f.mkt.dispatch().channel("in_app", InAppInbox.class).orElseThrow();
    assertThat(inbox.messages("u2", true)).singleElement()
        .satisfies(m -> assertThat(m.title()).isEqualTo("Enjoying Acme?"));
    assertThat(f.mkt.dispatch().deadLetters(10)).extracting(OutboxEntry::reason).isEmpty();
    assertThat(f.mkt.dispatch().stats().count(OutboxState.SENT)).isEqualTo(2);
  }
}
