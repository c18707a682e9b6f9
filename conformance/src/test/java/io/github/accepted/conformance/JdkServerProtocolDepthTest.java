package io.github.accepted.conformance;

import io.github.accepted.protocol.ProtocolEngine;

/** ProtocolDepthSuite on the JDK's HttpServer, through the example {@link JdkServerAdapter}. */
class JdkServerProtocolDepthTest extends ProtocolDepthSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.ASYNC, 32);
    }

    @Override
    protected RunningServer startWithThreads(ProtocolEngine engine, int threads) throws Exception {
        return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.ASYNC, threads);
    }
}
