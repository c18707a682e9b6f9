package io.github.accepted.testing;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with a working MDC (its own is a no-op), chosen for the core tests through the
 * {@code slf4j.provider} system property. {@link BasicMDCAdapter} keeps the MDC in an
 * inheritable thread-local, as some logging backends can be configured to: a worker thread
 * started by a request thread inherits the request's MDC, the leak the engine must prevent.
 */
public final class MdcLoggingProvider extends SimpleServiceProvider {

    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }
}
