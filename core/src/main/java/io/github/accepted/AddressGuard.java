package io.github.accepted;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF rules of callbacks: which URLs are taken and which addresses may be called.
 *
 * <p>Only absolute {@code http} and {@code https} URLs without user info or fragment. Every
 * address the host resolves to must be public: loopback, unspecified, private (RFC 1918),
 * carrier-grade NAT, link-local (so {@code 169.254.169.254}, the cloud metadata service),
 * unique-local ({@code fc00::/7}, so {@code fd00:ec2::254}), multicast, broadcast, reserved and
 * documentation ranges are refused unless an allow-list entry covers them. An IPv6 address that
 * embeds an IPv4 one (IPv4-mapped, -compatible, NAT64, 6to4) is judged by the IPv4 address.
 */
final class AddressGuard {

    /** Refused unless allow-listed. */
    private static final List<AddressRange> REFUSED = List.of(
                    "0.0.0.0/8",
                    "10.0.0.0/8",
                    "100.64.0.0/10",
                    "127.0.0.0/8",
                    "169.254.0.0/16",
                    "172.16.0.0/12",
                    "192.0.0.0/24",
                    "192.0.2.0/24",
                    "192.88.99.0/24",
                    "192.168.0.0/16",
                    "198.18.0.0/15",
                    "198.51.100.0/24",
                    "203.0.113.0/24",
                    "224.0.0.0/4",
                    "240.0.0.0/4",
                    "::/128",
                    "::1/128",
                    "fc00::/7",
                    "fe80::/10",
                    "fec0::/10",
                    "ff00::/8",
                    "100::/64",
                    "2001:db8::/32")
            .stream()
            .map(AddressRange::parse)
            .toList();

    private final List<AddressRange> allowed;
    private final HostResolver resolver;
    private final int maxUrlLength;

    AddressGuard(List<AddressRange> allowed, HostResolver resolver, int maxUrlLength) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
        this.maxUrlLength = maxUrlLength;
    }

    /**
     * Parses a callback URL and checks its syntax (no DNS lookup).
     *
     * @throws InvalidCallbackException if it is refused
     */
    URI parse(String text) {
        if (text.length() > maxUrlLength) {
            throw new InvalidCallbackException("A callback URL is longer than " + maxUrlLength + " characters.");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidCallbackException("A callback URL is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new InvalidCallbackException("A callback URL must be an absolute http or https URL.");
        }
        if (uri.getHost() == null || uri.getRawAuthority() == null) {
            throw new InvalidCallbackException("A callback URL needs a host.");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new InvalidCallbackException("A callback URL must not carry user info or a fragment.");
        }
        return uri;
    }

    /**
     * Resolves the URL's host and checks every address; returns the one to connect to.
     *
     * @throws InvalidCallbackException if the host does not resolve or an address is refused
     */
    InetAddress check(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | RuntimeException e) {
            throw new InvalidCallbackException("The host of a callback URL could not be resolved.");
        }
        if (addresses.isEmpty()) {
            throw new InvalidCallbackException("The host of a callback URL could not be resolved.");
        }
        for (InetAddress address : addresses) {
            Optional<String> why = refusal(address);
            if (why.isPresent()) {
                throw new InvalidCallbackException(
                        "A callback URL's host resolves to " + why.get() + ", which callbacks may not reach.");
            }
        }
        return addresses.get(0);
    }

    /** Why {@code address} may not be called, or empty if it may. */
    Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (covered(allowed, bytes)) {
            return Optional.empty();
        }
        byte[] judged = embeddedIpv4(bytes).orElse(bytes);
        if (judged != bytes && covered(allowed, judged)) {
            return Optional.empty();
        }
        if (covered(REFUSED, judged) || covered(REFUSED, bytes)) {
            return Optional.of("a " + (judged.length == 4 ? "non-public IPv4" : "non-public IPv6") + " address");
        }
        return Optional.empty();
    }

    private static boolean covered(List<AddressRange> ranges, byte[] address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}), -compatible, NAT64 or 6to4 address. */
    static Optional<byte[]> embeddedIpv4(byte[] address) {
        if (address.length != 16) {
            return Optional.empty();
        }
        byte[] head = Arrays.copyOfRange(address, 0, 12);
        boolean mapped = Arrays.equals(head, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff});
        boolean compatible = Arrays.equals(head, new byte[12])
                && !(address[12] == 0 && address[13] == 0 && address[14] == 0 && (address[15] & 0xfe) == 0);
        boolean nat64 = Arrays.equals(head, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0});
        if (mapped || compatible || nat64) {
            return Optional.of(Arrays.copyOfRange(address, 12, 16));
        }
        if (address[0] == 0x20 && address[1] == 0x02) { // 6to4: 2002:a.b.c.d::/48
            return Optional.of(Arrays.copyOfRange(address, 2, 6));
        }
        return Optional.empty();
    }
}
