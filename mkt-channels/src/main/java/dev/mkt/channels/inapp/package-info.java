/**
 * The in-app channel: a durable per-user inbox ({@link dev.mkt.channels.inapp.InAppInbox}) that the host
 * application polls, e.g. for the seed's review request.
 */
package dev.mkt.channels.inapp;
