/**
 * mkt's public API: build an engine with {@link dev.mkt.Marketing#builder()}, track events with
 * {@link dev.mkt.Marketing#trackMarketingEvent(dev.mkt.MarketingEvent)}, identify users and record consent.
 * Rules see {@link dev.mkt.MarketingEvent}, {@link dev.mkt.Contact} and {@link dev.mkt.Activity} and decide
 * {@link dev.mkt.Action}s.
 */
package dev.mkt;
