package dev.mkt.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application of the starter's @SpringBootTests: nothing but the starter's auto-configuration. */
@SpringBootApplication
public class TestApplication {}
