/** Implementation. Not API: anything here may change in any release. */
package dev.mkt.internal;
