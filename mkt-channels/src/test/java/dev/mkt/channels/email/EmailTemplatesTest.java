package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkt.OutboxState;
import dev.mkt.channels.EmailFixture;
import dev.mkt.channels.TemplateFailure;
import dev.mkt.channels.TemplateSet;
import dev.mkt.internal.dispatch.TestRules;
import dev.mkt.spi.ChannelConfigurationException;
import jakarta.mail.Multipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped templates, template errors at start-up and at send time, and the founder's own templates. */
class EmailTemplatesTest {
  /** Every email template name the seed's rules use. */
  static final Set<String> SEED = Set.of("welcome_v1", "welcome_day2", "welcome_day5", "pro_tip_v1",
      "payment_recovery_v1", "winback_survey_v1", "help_offering");

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

  private static Map<String, Object> context() {
    Map<String, Object> ctx = new HashMap<>();
    ctx.put("product", Map.of("name", "Acme", "url", "https://app.acme.test"));
    ctx.put("contact", Map.of("first_name", "Ada", "name", "Ada Lovelace"));
    ctx.put("unsubscribe_url", "https://app.acme.test/u?token=t");
    ctx.put("feature", "Export");
    return ctx;
  }

  @ParameterizedTest
  @ValueSource(strings = {"welcome_v1", "welcome_day2", "welcome_day5", "pro_tip_v1", "payment_recovery_v1",
      "winback_survey_v1", "help_offering"})
  void everySeedTemplate_rendersSubjectHtmlAndText(String name) throws TemplateFailure {
    TemplateSet t = TemplateSet.load(List.of(EmailSettings.SHIPPED), EmailComposer.PARTS, getClass().getClassLoader());
    assertThat(t.check(Set.of(name), EmailComposer.REQUIRED_PARTS, EmailComposer.BODY_PARTS)).isEmpty();
    String subject = t.render(name, "subject", false, Locale.ROOT, context()).strip();
    String html = t.render(name, "html", true, Locale.ROOT, context());
    String text = t.render(name, "text", false, Locale.ROOT, context());
    assertThat(subject).isNotBlank().doesNotContain("\n").doesNotContain("{{");
    assertThat(html).startsWith("<!DOCTYPE html>").contains("Hi Ada,").contains("https://app.acme.test/u?token=t");
    assertThat(text).contains("Hi Ada,").contains("Unsubscribe: https://app.acme.test/u?token=t")
        .doesNotContain("<p>");
  }

  @Test
  void theSeedTemplates_passTheStartupCheck_ofTheRulesThatUseThem() throws Exception {
    Set<String> referenced = new java.util.HashSet<>();
    SEED.forEach(n -> referenced.add("email/" + n));
    referenced.add("in_app/review_request");
    f.start(new TestRules(referenced));
    assertThat(f.mkt.dispatch().stats().breakers()).containsKeys("email.smtp", "in_app.inbox");
  }

  @Test
  void aTemplateTheRulesUseButNobodyShips_failsAtStart_namingItAndWhereItWasLookedFor() {
    assertThatThrownBy(() -> f.start(new TestRules(Set.of("email/welcome_v1", "email/welcome_v9"))))
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.smtp: no template 'welcome_v9': welcome_v9/subject.peb not found in")
        .hasMessageContaining("classpath:mkt/templates/email")
        .hasMessageContaining("docs/email.md#templates")
        .hasMessageNotContaining("'welcome_v1'");
  }

  @Test
  void aVariableTheActionDoesNotCarry_deadLettersTheEmail_withTheFileAndLine() throws Exception {
    f.start(new TestRules());
    f.identify("u1", Map.of("email", "ada@example.com"));
    f.track(TestRules.ACTION, "u1", "key", "tip", "template", "pro_tip_v1"); // no "feature"
    f.settle();
    assertThat(f.received()).isEmpty();
    assertThat(f.status("tip").state()).isEqualTo(OutboxState.DEAD);
    assertThat(f.status("tip").reason())
        .isEqualTo("template_error: pro_tip_v1/subject.peb line 1: variable 'feature' is not defined");
  }

  @Test
  void aTemplateUnknownAtStart_isADeadLetterWhenAnActionAsksForIt() throws Exception {
    f.start(new TestRules());
    f.identify("u1", Map.of("email", "ada@example.com"));
    f.track(TestRules.ACTION, "u1", "key", "x", "template", "launch_2025");
    f.settle();
    assertThat(f.status("x").reason()).startsWith("template_missing: no template 'launch_2025'");
  }

  @Test
  void theFoundersDirectory_overridesAShippedTemplate_andAddsNewOnes() throws Exception {
    Path t = dir.resolve("templates");
    Files.createDirectories(t.resolve("welcome_v1"));
    Files.writeString(t.resolve("welcome_v1/subject.peb"), "Hello from {{ product.name }}, {{ plan }} user\n");
    Files.writeString(t.resolve("welcome_v1/text.peb"), "Plain welcome.\n");
    Files.createDirectories(t.resolve("launch"));
    Files.writeString(t.resolve("launch/subject.peb"), "We launched {{ what }}");
    Files.writeString(t.resolve("launch/html.peb"), "<p>{{ what }}</p>");
    f.start(new TestRules(Set.of("email/welcome_v1", "email/launch", "email/welcome_day2")),
        EmailFixture.dispatch().build(), b -> b.channelProperty("email.templates", t.toString()));
    f.identify("u1", Map.of("email", "ada@example.com"));
    f.track(TestRules.ACTION, "u1", "key", "w", "template", "welcome_v1", "vars", Map.of("plan", "pro"));
    f.track(TestRules.ACTION, "u1", "key", "l", "template", "launch", "vars", Map.of("what", "dark <mode>"));
    f.settle();
    assertThat(f.received()).hasSize(2);
    var bySubject = new HashMap<String, Object>();
    for (var m : f.received()) {
      bySubject.put(m.getSubject(), m.getContent());
    }
    assertThat(bySubject).containsKeys("Hello from Acme, pro user", "We launched dark <mode>");
    assertThat(bySubject.get("Hello from Acme, pro user").toString().strip()).isEqualTo("Plain welcome.");
    assertThat(bySubject.get("We launched dark <mode>").toString()).isEqualTo("<p>dark &lt;mode&gt;</p>");
  }

  @Test
  void aMissingTemplateDirectory_failsAtStart() {
    assertThatThrownBy(() -> f.start(new TestRules(), EmailFixture.dispatch().build(),
        b -> b.channelProperty("email.templates", dir.resolve("nope").toString())))
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.templates template directory").hasMessageContaining("does not exist");
  }

  @Test
  void theGermanVariant_isUsedForGermanContacts_andEnglishOtherwise() throws Exception {
    TemplateSet t = TemplateSet.load(List.of(EmailSettings.SHIPPED), EmailComposer.PARTS, getClass().getClassLoader());
    assertThat(t.render("welcome_v1", "subject", false, Locale.forLanguageTag("de-CH"), context()).strip())
        .isEqualTo("Willkommen bei Acme, Ada");
    assertThat(t.render("welcome_v1", "subject", false, Locale.forLanguageTag("fr-FR"), context()).strip())
        .isEqualTo("Welcome to Acme, Ada");
    assertThat(Multipart.class).isNotNull();
  }
}
