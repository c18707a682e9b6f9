package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.conformance.HttpConformanceSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The HTTP contract through the starter, on embedded Tomcat with Spring Security and Spring MVC. */
class SpringTomcatHttpConformanceTest extends HttpConformanceSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return SpringServers.start(engine, Containers.Tomcat.class);
    }
}
