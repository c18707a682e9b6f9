package io.github.accepted.conformance;

import io.github.accepted.protocol.ProtocolEngine;

/** HttpConformanceSuite on the JDK's HttpServer, through the example {@link JdkServerAdapter}. */
class JdkServerHttpConformanceTest extends HttpConformanceSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.ASYNC, 32);
    }
}
