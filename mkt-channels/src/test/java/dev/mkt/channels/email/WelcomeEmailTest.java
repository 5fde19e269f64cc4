package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.mkt.Action;
import dev.mkt.ActionType;
import dev.mkt.EventTypes;
import dev.mkt.OutboxState;
import dev.mkt.UnsubscribeToken;
import dev.mkt.channels.EmailFixture;
import dev.mkt.spi.RuleEngine;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4: a verified signup sends the welcome email, with both parts, the right headers and rendered vars. */
class WelcomeEmailTest {
  /** The seed's welcome trigger, as a lambda until the DRL engine is on main. */
  static final RuleEngine WELCOME = new RuleEngine() {
    @Override
    public List<Action> evaluate(dev.mkt.MarketingEvent e, dev.mkt.Contact c, dev.mkt.Activity a) {
      if (!e.type().equals(EventTypes.SIGNUP) || !e.getBoolean("email_verified").orElse(false)) {
        return List.of();
      }
      return List.of(Action.builder().idempotencyKey("welcome_sequence:" + e.userId() + ":welcome_v1")
          .rule("welcome_sequence").userId(e.userId()).eventId(e.id()).type(ActionType.SEND_EMAIL)
          .template("welcome_v1").notBefore(e.timestamp()).build());
    }

    @Override
    public Set<String> templatesReferenced() {
      return Set.of("email/welcome_v1");
    }
  };

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

  @Test
  void aVerifiedSignup_receivesTheWelcomeEmail_withBothParts_headersAndVariables() throws Exception {
    f.start(WELCOME);
    f.track(EventTypes.SIGNUP, "u42", "email", "ada@example.com", "name", "Ada Lovelace", "email_verified", true);
    f.track(EventTypes.SIGNUP, "u43", "email", "bob@example.com", "email_verified", false);
    f.settle();

    MimeMessage[] got = f.received();
    assertThat(got).hasSize(1);
    MimeMessage m = got[0];
    assertThat(m.getSubject()).isEqualTo("Welcome to Acme, Ada");
    assertThat(((InternetAddress) m.getFrom()[0]).getAddress()).isEqualTo("hello@mail.acme.test");
    assertThat(((InternetAddress) m.getFrom()[0]).getPersonal()).isEqualTo("Acme");
    assertThat(((InternetAddress) m.getReplyTo()[0]).getAddress()).isEqualTo("support@acme.test");
    InternetAddress to = (InternetAddress) m.getAllRecipients()[0];
    assertThat(to.getAddress()).isEqualTo("ada@example.com");
    assertThat(to.getPersonal()).isEqualTo("Ada Lovelace");

    assertThat(m.getContentType()).startsWith("multipart/alternative");
    Multipart alt = (Multipart) m.getContent();
    assertThat(alt.getCount()).isEqualTo(2);
    Part text = alt.getBodyPart(0);
    Part html = alt.getBodyPart(1);
    assertThat(text.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
    assertThat(html.getContentType()).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
    assertThat((String) text.getContent()).contains("Hi Ada,").contains("your Acme account is ready")
        .contains("Open Acme: https://app.acme.test").contains("Unsubscribe: https://app.acme.test/mkt/unsubscribe?token=");
    assertThat((String) html.getContent()).contains("<p>Hi Ada,</p>").contains("href=\"https://app.acme.test\"")
        .contains("<html lang=\"en\">");

    String key = "welcome_sequence:u42:welcome_v1";
    assertThat(m.getMessageID()).matches("<[0-9a-f]{40}@mail\\.acme\\.test>");
    assertThat(f.status(key).providerMessageId()).isEqualTo(m.getMessageID());
    assertThat(f.status(key).state()).isEqualTo(OutboxState.SENT);
    String lu = m.getHeader("List-Unsubscribe", null);
    assertThat(lu).matches("<https://app\\.acme\\.test/mkt/unsubscribe\\?token=[A-Za-z0-9_.-]+>");
    assertThat(m.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
    UnsubscribeToken t = f.tokens.verify(lu.substring(lu.indexOf("token=") + 6, lu.length() - 1));
    assertThat(t.userId()).isEqualTo("u42");
    assertThat(t.channel()).isEqualTo("email");
  }

  @Test
  void theContactsLocale_picksTheTemplateVariant() throws Exception {
    f.start(WELCOME);
    f.track(EventTypes.SIGNUP, "u7", "email", "jo@example.de", "name", "Jörg Müller", "locale", "de-AT",
        "email_verified", true);
    f.settle();
    MimeMessage m = f.received()[0];
    assertThat(m.getSubject()).isEqualTo("Willkommen bei Acme, Jörg");
    String raw = GreenMailUtil.getWholeMessage(m);
    assertThat(raw).contains("Subject: =?UTF-8?"); // RFC 2047-encoded, non-ASCII subject
    Multipart alt = (Multipart) m.getContent();
    assertThat((String) alt.getBodyPart(0).getContent()).contains("Hallo Jörg,").contains("Abmelden: https://");
    assertThat((String) alt.getBodyPart(1).getContent()).contains("<html lang=\"de\">");
  }

  @Test
  void variables_areHtmlEscapedInTheHtmlPart_butNotInTheTextPart() throws Exception {
    f.start(WELCOME);
    f.track(EventTypes.SIGNUP, "u8", "email", "eve@example.com", "name", "<script>alert(1)</script> Eve",
        "email_verified", true);
    f.settle();
    Multipart alt = (Multipart) f.received()[0].getContent();
    assertThat((String) alt.getBodyPart(1).getContent()).contains("Hi &lt;script&gt;alert(1)&lt;/script&gt;,")
        .doesNotContain("<script>");
    assertThat((String) alt.getBodyPart(0).getContent()).contains("Hi <script>alert(1)</script>,");
  }

  @Test
  void withoutAnAddress_nothingIsSent_andTheActionIsSuppressed() throws Exception {
    f.start(WELCOME);
    f.track(EventTypes.SIGNUP, "u9", "email_verified", true);
    f.settle();
    assertThat(f.received()).isEmpty();
    assertThat(f.status("welcome_sequence:u9:welcome_v1").reason()).isEqualTo("no_address");
  }

  @Test
  void theSenderName_andTheProduct_comeFromConfiguration() throws Exception {
    f.start(WELCOME, EmailFixture.dispatch().build(), b -> b.channelProperty("email.product.name", "Acme Cloud")
        .channelProperty("email.headers.X-Campaign", "onboarding"));
    f.track(EventTypes.SIGNUP, "u10", "email", "max@example.com", "email_verified", true);
    f.settle();
    MimeMessage m = f.received()[0];
    assertThat(m.getSubject()).isEqualTo("Welcome to Acme Cloud");
    assertThat(m.getHeader("X-Campaign", null)).isEqualTo("onboarding");
    assertThat(Map.of("text", ((Multipart) m.getContent()).getBodyPart(0).getContent().toString()))
        .hasEntrySatisfying("text", s -> assertThat(s).contains("Hi there,"));
  }
}
