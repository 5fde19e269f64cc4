/**
 * HTTP endpoints: signed event ingest (mkt JSON, Segment, CloudEvents) and one-click unsubscribe.
 */
package dev.mkt.spring.web;
