package dev.mkt.channels.inapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkt.DispatchConfig;
import dev.mkt.Marketing;
import dev.mkt.OutboxState;
import dev.mkt.test.MutableClock;
import dev.mkt.internal.dispatch.TestRules;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-app channel: the seed's review request lands in a durable inbox the app reads. */
class InAppInboxTest {
  @TempDir Path dir;
  final MutableClock clock = MutableClock.at("2025-03-03T12:00:00Z");
  Marketing mkt;

  @AfterEach
  void close() {
    if (mkt != null) {
      mkt.close();
    }
  }

  private Marketing start() {
    mkt = Marketing.builder().dataDirectory(dir).clock(clock).ruleEngine(new TestRules(Set.of("in_app/review_request")))
        .dispatch(DispatchConfig.custom().pollInterval(Duration.ofMillis(5)).build())
        .channelProperty("in_app.product.name", "Acme").build();
    return mkt;
  }

  private void reviewRequest(String user, String key) throws InterruptedException {
    mkt.track(dev.mkt.MarketingEvent.builder(TestRules.ACTION, user).id("e-" + key).timestamp(clock.instant())
        .put("key", key).put("channel", "in_app").put("template", "review_request")
        .put("vars", Map.of("feature", "Export")).build());
    assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
    assertThat(mkt.dispatch().awaitIdle(Duration.ofSeconds(10))).isTrue();
  }

  private InAppInbox inbox() {
    return mkt.dispatch().channel("in_app", InAppInbox.class).orElseThrow();
  }

  @Test
  void aReviewRequest_appearsInTheUsersInbox_rendered() throws Exception {
    start();
    reviewRequest("u1", "power_user:u1:review");
    assertThat(mkt.dispatch().status("power_user:u1:review").orElseThrow().state()).isEqualTo(OutboxState.SENT);
    var msgs = inbox().messages("u1", true);
    assertThat(msgs).hasSize(1);
    InAppMessage m = msgs.get(0);
    assertThat(m.id()).isEqualTo("power_user:u1:review");
    assertThat(m.title()).isEqualTo("Enjoying Acme?");
    assertThat(m.body()).startsWith("You have been using Export a lot.");
    assertThat(m.vars()).containsEntry("feature", "Export");
    assertThat(inbox().messages("someone-else", false)).isEmpty();
  }

  @Test
  void aReviewRequestWithoutAFeature_namesTheProduct() throws Exception {
    start();
    mkt.track(dev.mkt.MarketingEvent.builder(TestRules.ACTION, "u2").id("e-plain").timestamp(clock.instant())
        .put("key", "plain").put("channel", "in_app").put("template", "review_request").build());
    assertThat(mkt.awaitProcessed(Duration.ofSeconds(10))).isTrue();
    assertThat(mkt.dispatch().awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(inbox().messages("u2", true).get(0).body()).startsWith("You have been using Acme a lot.");
  }

  @Test
  void messagesAndReadMarks_surviveARestart() throws Exception {
    start();
    reviewRequest("u1", "a");
    reviewRequest("u1", "b");
    assertThat(inbox().markRead("u1", "a")).isTrue();
    assertThat(inbox().markRead("u1", "a")).isFalse();
    mkt.close();
    start();
    assertThat(inbox().messages("u1", false)).extracting(InAppMessage::id).containsExactly("b", "a");
    assertThat(inbox().messages("u1", true)).extracting(InAppMessage::id).containsExactly("b");
    assertThat(inbox().unreadCount("u1")).isEqualTo(1);
  }

  @Test
  void theSameActionDeliveredTwice_isOneMessage() throws Exception {
    start();
    var inbox = inbox();
    reviewRequest("u1", "a");
    var a = dev.mkt.Action.builder().idempotencyKey("a").rule("r").userId("u1").type(dev.mkt.ActionType.IN_APP)
        .template("review_request").notBefore(clock.instant()).var("feature", "Export").build();
    assertThat(inbox.deliver(new dev.mkt.spi.Delivery(a, dev.mkt.Contact.empty("u1"), 2, null, clock.instant()))
        .isSent()).isTrue();
    assertThat(inbox.messages("u1", false)).hasSize(1);
  }

  @Test
  void aTornLastLine_isDropped_andTheRestKept() throws Exception {
    start();
    reviewRequest("u1", "a");
    reviewRequest("u1", "b");
    mkt.close();
    Path log = dir.resolve("channels/in_app.inbox/" + InAppInbox.FILE);
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
      f.setLength(Files.size(log) - 10);
    }
    start();
    assertThat(inbox().messages("u1", false)).extracting(InAppMessage::id).containsExactly("a");
  }
}
