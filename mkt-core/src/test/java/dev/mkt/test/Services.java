package dev.mkt.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards tests that need a local service (Postgres, Redis, NATS, RabbitMQ). On a laptop without the service
 * the test is skipped with a visible reason; in CI ({@code MKT_REQUIRE_SERVICES=true}, set by .ci/run) an
 * unreachable service fails the test instead.
 */
public final class Services {
  /** The environment variable that turns "unreachable" into a failure. */
  public static final String REQUIRE = "MKT_REQUIRE_SERVICES";

  private Services() {}

  public static boolean required() {
    return "true".equalsIgnoreCase(System.getenv(REQUIRE))
        || "true".equalsIgnoreCase(System.getProperty(REQUIRE));
  }

  /** Skips (or fails, in CI) unless {@code host:port} accepts TCP connections. */
  public static void require(String name, String host, int port) {
    String problem = probe(host, port);
    if (problem == null) {
      return;
    }
    String msg = name + " is not reachable at " + host + ":" + port + " (" + problem + ")";
    if (required()) {
      throw new AssertionError(msg + "; " + REQUIRE + "=true, so this is a failure, not a skip");
    }
    Assumptions.abort(msg + "; skipping. Start it, or see README 'Tests'.");
  }

  public static void requirePostgres() {
    require("PostgreSQL", "127.0.0.1", 5432);
  }

  public static void requireRedis() {
    require("Redis", "127.0.0.1", 6379);
  }

  public static void requireNats() {
    require("NATS", "127.0.0.1", 4222);
  }

  public static void requireRabbitMq() {
    require("RabbitMQ", "127.0.0.1", 5672);
  }

  private static String probe(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      return null;
    } catch (IOException e) {
      return e.toString();
    }
  }
}
