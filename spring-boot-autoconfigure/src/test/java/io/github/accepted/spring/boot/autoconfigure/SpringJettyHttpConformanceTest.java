package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.conformance.HttpConformanceSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The HTTP contract through the starter, on embedded Jetty with Spring Security and Spring MVC. */
class SpringJettyHttpConformanceTest extends HttpConformanceSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return SpringServers.start(engine, Containers.Jetty.class);
    }
}
