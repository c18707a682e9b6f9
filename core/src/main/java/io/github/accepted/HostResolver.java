package io.github.accepted;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a callback's host name to its addresses, which are then checked against the SSRF
 * rules ({@link Callbacks}); the POST goes to the very address that was checked. Replace it in
 * tests, or to use a resolver of your own. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Every address of {@code host} (a name, or an IP literal).
     *
     * @throws UnknownHostException if it has none
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The system's resolver: {@link InetAddress#getAllByName(String)}. */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
