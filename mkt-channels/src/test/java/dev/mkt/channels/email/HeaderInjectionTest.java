package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.mkt.OutboxState;
import dev.mkt.channels.EmailFixture;
import dev.mkt.internal.dispatch.TestRules;
import dev.mkt.spi.ChannelConfigurationException;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CR/LF in any header value is rejected or dropped, never written: checked on the raw MIME GreenMail received. */
class HeaderInjectionTest {
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

  private static boolean hasHeaderLine(String raw, String header) {
    return Arrays.stream(raw.split("\r\n")).anyMatch(l -> l.regionMatches(true, 0, header + ":", 0, header.length() + 1));
  }

  @Test
  void aLineBreakInTheRenderedSubject_deadLettersTheEmail() throws Exception {
    f.start(new TestRules());
    f.identify("u1", Map.of("email", "ada@example.com"));
    f.track(TestRules.ACTION, "u1", "key", "tip:u1", "template", "pro_tip_v1",
        "vars", Map.of("feature", "export\r\nBcc: victim@evil.test"));
    f.settle();
    assertThat(f.received()).isEmpty();
    assertThat(f.status("tip:u1").state()).isEqualTo(OutboxState.DEAD);
    assertThat(f.status("tip:u1").reason()).startsWith("header_injection: the rendered subject of 'pro_tip_v1'");
  }

  @Test
  void aLineBreakInTheRecipientsName_dropsTheName_andInjectsNothing() throws Exception {
    f.start(new TestRules());
    f.track("signup", "u2", "email", "ada@example.com", "name", "Ada\r\nBcc: victim@evil.test");
    f.track(TestRules.ACTION, "u2", "key", "w:u2", "template", "welcome_v1");
    f.settle();
    MimeMessage[] got = f.received();
    assertThat(got).hasSize(1);
    String raw = GreenMailUtil.getWholeMessage(got[0]);
    assertThat(hasHeaderLine(raw, "Bcc")).isFalse();
    assertThat(raw).contains("To: ada@example.com\r\n");
    assertThat(f.smtp.getReceivedMessagesForDomain("evil.test")).isEmpty();
  }

  @Test
  void aLineBreakInAConfiguredHeader_failsAtStart() {
    assertThatThrownBy(() -> f.start(new TestRules(), EmailFixture.dispatch().build(),
        b -> b.channelProperty("email.headers.X-Campaign", "spring\r\nBcc: victim@evil.test")))
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.headers.X-Campaign must not contain CR, LF");
  }

  @Test
  void aLineBreakInTheFromAddress_failsAtStart() {
    assertThatThrownBy(() -> f.start(new TestRules(), EmailFixture.dispatch().build(),
        b -> b.channelProperty("email.from", "Acme <hello@mail.acme.test>\nBcc: victim@evil.test")))
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.from must not contain CR, LF");
  }

  @Test
  void aReservedHeader_cannotBeConfigured() {
    assertThatThrownBy(() -> f.start(new TestRules(), EmailFixture.dispatch().build(),
        b -> b.channelProperty("email.headers.Bcc", "archive@acme.test")))
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.headers.Bcc is a header mkt sets itself");
  }

  @Test
  void aFromAddressOffTheMarketingDomain_failsAtStart() {
    assertThatThrownBy(() -> f.start(new TestRules(), EmailFixture.dispatch().build(),
        b -> b.channelProperty("email.domain", "news.acme.test")))
        .isInstanceOf(ChannelConfigurationException.class)
        .hasMessageContaining("email.from must be an address on the marketing domain news.acme.test");
  }
}
