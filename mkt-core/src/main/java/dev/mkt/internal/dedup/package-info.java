/** The default dedup store, on Caffeine. */
package dev.mkt.internal.dedup;
