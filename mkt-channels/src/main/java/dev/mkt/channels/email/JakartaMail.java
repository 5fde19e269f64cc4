package dev.mkt.channels.email;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jakarta-mail 2.1's {@code StreamProvider.provider()} runs a {@link java.util.ServiceLoader} lookup (reading
 * {@code META-INF/services} out of every jar, under the jar file locks) each time a message or body part is
 * written or a multipart is created: several times per email, and serialized across threads. Naming the
 * implementation in the system property jakarta-mail checks first turns that into a cheap
 * {@code Class.forName}. Measured in {@code DispatchBenchmark}; see docs/email.md#throughput.
 */
final class JakartaMail {
  private static final Logger log = LoggerFactory.getLogger(JakartaMail.class);
  static final String PROPERTY = "jakarta.mail.util.StreamProvider";
  static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

  private JakartaMail() {}

  /** Names Angus' stream provider, unless the application named one already. */
  static void preferAngusStreamProvider() {
    try {
      if (System.getProperty(PROPERTY) == null) {
        Class.forName(ANGUS, false, JakartaMail.class.getClassLoader());
        System.setProperty(PROPERTY, ANGUS);
        log.debug("set {}={} (avoids a ServiceLoader scan per MIME part)", PROPERTY, ANGUS);
      }
    } catch (ClassNotFoundException | SecurityException e) {
      log.debug("not setting {}: {}", PROPERTY, e.toString());
    }
  }
}
