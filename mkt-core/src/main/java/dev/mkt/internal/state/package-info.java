/**
 * Per-user state: contacts, windowed activity, fire-once markers, and the embedded checkpoint journal that
 * persists them. See docs/state.md.
 */
package dev.mkt.internal.state;
