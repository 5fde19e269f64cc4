package dev.mkt.spring.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the starter's @SpringBootTests: nothing but the starter's auto-configuration. It lives in its own
 * package so that its component scan does not pick up the starter's own configuration classes, as a real
 * application's would not.
 */
@SpringBootApplication
public class TestApplication {}
