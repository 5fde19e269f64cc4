/**
 * End-to-end measurements of the starter and the demo: event to email accepted by SMTP at a fixed rate, and
 * the demo's start-up time. Harnesses with a {@code main}, not JMH: an open-loop rate and a process start are
 * not what JMH's loops measure.
 */
package dev.mkt.benchmarks.e2e;
