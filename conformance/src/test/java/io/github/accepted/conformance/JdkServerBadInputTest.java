package io.github.accepted.conformance;

import io.github.accepted.protocol.ProtocolEngine;

/** BadInputSuite on the JDK's HttpServer, through the example {@link JdkServerAdapter}. */
class JdkServerBadInputTest extends BadInputSuite {

    @Override
    protected RunningServer start(ProtocolEngine engine) throws Exception {
        return JdkServerAdapter.start(engine, JdkServerAdapter.Mode.ASYNC, 32);
    }

    /** The JDK server answers {@code Expect: 100-continue} itself, before any handler runs. */
    @Override
    protected boolean serverSendsContinueBeforeTheAdapter() {
        return true;
    }
}
