/**
 * The Spring Boot starter's public API: customizer callbacks and the seams an application implements.
 * Auto-configuration lives in {@code dev.mkt.spring.autoconfigure}; the HTTP endpoints in
 * {@code dev.mkt.spring.web}; actuator integration in {@code dev.mkt.spring.actuate}. See docs/spring.md.
 */
package dev.mkt.spring;
