package io.github.accepted.conformance;

import io.github.accepted.protocol.ProtocolEngine;

/** ReliabilitySuite on the JDK's HttpServer, through the example {@link JdkServerAdapter}. */
class JdkServerReliabilityTest extends ReliabilitySuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.ASYNC, 32);
    }
}
