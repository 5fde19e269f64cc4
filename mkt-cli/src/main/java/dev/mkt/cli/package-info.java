/**
 * The {@code mkt} command line: {@code mkt rules check <dir>} compiles rules and reports, {@code mkt replay}
 * backtests rules over a recorded event file. See docs/cli.md.
 */
package dev.mkt.cli;
