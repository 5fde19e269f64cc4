package dev.mkt.channels;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * A value built on first use, once, by whichever thread gets there first; later reads take no lock. For what
 * channels need only when they deliver (an HTTP client, template engines) and should not cost the application's
 * start-up.
 */
public final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private volatile T value;

  public Lazy(Supplier<T> factory) {
    this.factory = requireNonNull(factory, "factory");
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = requireNonNull(factory.get(), "factory returned null");
          value = v;
        }
      }
    }
    return v;
  }
}
