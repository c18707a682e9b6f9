package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.conformance.ProtocolDepthSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The protocol's depth through the starter, on embedded Tomcat with Spring Security and Spring MVC. */
class SpringTomcatProtocolDepthTest extends ProtocolDepthSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) {
        return SpringServers.start(engine, Containers.Tomcat.class);
    }
}
