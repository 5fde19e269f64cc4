/**
 * Channel providers for mkt, registered with {@link java.util.ServiceLoader}: email over SMTP
 * ({@code email.smtp}) and Resend's HTTP API ({@code email.resend}) with Pebble templates, the in-app inbox
 * ({@code in_app.inbox}) and CRM tasks as signed webhooks ({@code crm.webhook}). See docs/spi.md and
 * docs/email.md.
 */
package dev.mkt.channels;
