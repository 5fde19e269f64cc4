/** Actuator integration: health, Micrometer metrics and the {@code marketing} endpoint. */
package dev.mkt.spring.actuate;
