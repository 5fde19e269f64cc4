/** Benchmarks of mkt-rules: the reactor end to end with the seed rules, and rule compilation. */
package dev.mkt.benchmarks.rules;
