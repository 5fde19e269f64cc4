/**
 * The dispatcher: channel discovery and routes ({@code ChannelRegistry}), the gates (compliance, quiet hours,
 * frequency cap, review, sliding-window rate limit, circuit breakers with failover), delivery with retries and
 * dead letters ({@code Dispatcher}), and the {@link dev.mkt.Dispatch} API ({@code DispatchRuntime}).
 */
package dev.mkt.internal.dispatch;
