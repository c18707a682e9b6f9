package io.github.accepted.servlet;

import io.github.accepted.conformance.BadInputSuite;
import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;

/** The bad-input catalogue on embedded Tomcat. */
class TomcatBadInputTest extends BadInputSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return TomcatServers.start(engine);
    }
}
