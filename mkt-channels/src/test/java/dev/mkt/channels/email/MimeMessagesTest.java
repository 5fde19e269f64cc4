package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The transfer encoding mkt picks for each text part, checked on the raw MIME and after a re-parse. */
class MimeMessagesTest {
  private final Session session = Session.getInstance(new Properties());

  @Test
  void asciiBodies_are7bit_andNonAsciiOrLongLines_areQuotedPrintable() {
    assertThat(MimeMessages.transferEncoding("Hello\r\nthere\n".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("7bit");
    assertThat(MimeMessages.transferEncoding("Grüße".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("quoted-printable");
    assertThat(MimeMessages.transferEncoding("a\rb".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("quoted-printable");
    assertThat(MimeMessages.transferEncoding(new byte[] {'a', 0, 'b'})).isEqualTo("quoted-printable");
    assertThat(MimeMessages.transferEncoding("x".repeat(998).getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("7bit");
    assertThat(MimeMessages.transferEncoding("x".repeat(999).getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("quoted-printable");
  }

  @Test
  void aNonAsciiMessage_survivesTheWireByteForByte() throws Exception {
    String html = "<p>Willkommen, Jürgen! " + "long ".repeat(300) + "</p>";
    String text = "Willkommen, Jürgen!\nPlain ASCII line.";
    EmailMessage m = new EmailMessage(new InternetAddress("hello@acme.test", "Acme"), null,
        new InternetAddress("juergen@example.test"), "Grüße", html, text, Map.of(), "<id-1@acme.test>",
        "k1", "welcome", "welcome_v1");
    MimeMessage mime = MimeMessages.build(session, m, Instant.parse("2026-01-01T00:00:00Z"));
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    mime.writeTo(raw);
    String wire = raw.toString(StandardCharsets.US_ASCII);
    for (byte b : raw.toByteArray()) {
      assertThat(b).as("the wire form is 7-bit clean").isGreaterThanOrEqualTo((byte) 0);
    }
    assertThat(wire).contains("Content-Transfer-Encoding: quoted-printable");

    MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(raw.toByteArray()));
    MimeMultipart alt = (MimeMultipart) parsed.getContent();
    // Line breaks of text travel as CRLF (RFC 2045's canonical form); the text is otherwise unchanged.
    assertThat(((String) alt.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(text);
    assertThat(alt.getBodyPart(1).getContent()).isEqualTo(html);
    assertThat(parsed.getSubject()).isEqualTo("Grüße");
    assertThat(parsed.getHeader("Date", null)).isEqualTo("Thu, 1 Jan 2026 00:00:00 +0000");
    assertThat(parsed.getSentDate().toInstant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void anAsciiMessage_isSentAs7bit() throws Exception {
    EmailMessage m = new EmailMessage(new InternetAddress("hello@acme.test"), null,
        new InternetAddress("a@example.test"), "Hi", "<p>Hi</p>", "Hi", Map.of(), "<id-2@acme.test>", "k2",
        "welcome", "welcome_v1");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    MimeMessages.build(session, m, Instant.parse("2026-01-01T00:00:00Z")).writeTo(raw);
    String wire = raw.toString(StandardCharsets.US_ASCII);
    assertThat(wire).contains("Content-Transfer-Encoding: 7bit").doesNotContain("quoted-printable");
  }
}
