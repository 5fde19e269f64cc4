package dev.mkt.channels.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mkt.test.ChildJvm;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dispatch under kill -9: an engine in a child JVM sends {@value #EMAILS} welcome emails to GreenMail (in this JVM,
 * so it outlives the kills) and is killed at random moments while it sends. After the last restart every email
 * has arrived, and an email arrives twice only in the window the docs name: accepted by the server, killed before
 * {@code SENT} reached the outbox journal — at most one per dispatcher worker per kill, with the same Message-ID.
 */
class DispatchCrashTest {
  static final int EMAILS = 3000;
  static final int KILLS = 6;

  @TempDir Path dir;
  private final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

  @AfterEach
  void stop() {
    smtp.stop();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void killedWhileSending_everyEmailArrives_andDuplicatesOnlyInTheDocumentedWindow() throws Exception {
    smtp.start();
    int port = smtp.getSmtp().getPort();
    Random r = new Random(5);
    int kills = 0;
    List<Integer> receivedAtKill = new ArrayList<>();
    boolean done = false;
    for (int attempt = 0; attempt < 40 && !done; attempt++) {
      Process child = ChildJvm.start("error", DispatchCrashChild.class, dir.toString(), Integer.toString(port),
          Integer.toString(EMAILS));
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("READY");
      if (kills < KILLS) {
        // Kill while it sends: once this run has delivered a few emails, at a random moment after.
        int before = smtp.getReceivedMessages().length;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (smtp.getReceivedMessages().length < Math.min(EMAILS, before + 20) && System.nanoTime() < until) {
          Thread.sleep(2);
        }
        Thread.sleep(r.nextInt(60));
        if (child.isAlive()) {
          ChildJvm.kill9(child);
          kills++;
          receivedAtKill.add(smtp.getReceivedMessages().length);
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } else {
        done = "DONE".equals(out.readLine());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
    }
    assertThat(done).as("the last run finished every action and exited").isTrue();
    assertThat(kills).isEqualTo(KILLS);
    assertThat(receivedAtKill).as("kills landed while emails were being sent: %s", receivedAtKill)
        .filteredOn(n -> n > 0 && n < EMAILS).hasSizeGreaterThanOrEqualTo(3);

    Map<String, List<String>> idsByRecipient = new HashMap<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      idsByRecipient.computeIfAbsent(m.getAllRecipients()[0].toString(), k -> new ArrayList<>())
          .add(m.getMessageID());
    }
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < EMAILS; i++) {
      expected.add(DispatchCrashChild.address(i));
    }
    assertThat(idsByRecipient.keySet()).as("every email arrived, and no other").isEqualTo(expected);
    int duplicates = 0;
    for (List<String> ids : idsByRecipient.values()) {
      duplicates += ids.size() - 1;
      assertThat(new HashSet<>(ids)).as("a resent email is recognisably the same message").hasSize(1);
    }
    assertThat(duplicates).as("resent only if accepted but not yet journaled as SENT when killed")
        .isLessThanOrEqualTo(kills * DispatchCrashChild.CONCURRENCY);
  }
}
