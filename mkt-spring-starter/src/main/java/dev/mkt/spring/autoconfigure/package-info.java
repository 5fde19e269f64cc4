/**
 * Auto-configuration of mkt. These classes are registered in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports} and are never
 * component-scanned. Every bean backs off when the application defines its own.
 */
package dev.mkt.spring.autoconfigure;
