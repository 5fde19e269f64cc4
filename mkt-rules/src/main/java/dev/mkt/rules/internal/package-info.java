/**
 * Implementation of mkt-rules: DRL source discovery, DRL analysis (activity spec, templates), the Drools compiler
 * adapter and the directory watcher. Not an API.
 */
package dev.mkt.rules.internal;
