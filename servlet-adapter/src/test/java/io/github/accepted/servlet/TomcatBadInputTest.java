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

    /**
     * Tomcat answers {@code Expect: 100-continue} before any servlet runs
     * ({@code continueResponseTiming="immediately"}, its default). With {@code "onRead"} it would
     * wait for the application's first read, but never sends it to one reading without blocking
     * (seen on Tomcat 11.0.27): clients waiting for the {@code 100} would stall. See docs/servlet.md.
     */
    @Override
    protected boolean serverSendsContinueBeforeTheAdapter() {
        return true;
    }
}
