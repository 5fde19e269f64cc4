/**
 * Email: SMTP with pooled connections ({@code email.smtp}) and Resend's HTTP API ({@code email.resend}), both
 * composing with Pebble templates, RFC 8058 one-click unsubscribe headers, a stable Message-ID and header
 * injection checks. See docs/email.md.
 */
package dev.mkt.channels.email;
