package io.github.accepted.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Works out the absolute base URL clients used, behind proxies: {@code Forwarded} (RFC 7239),
 * else {@code X-Forwarded-Proto/-Host/-Port/-Prefix} — honoured only when the request came from
 * a trusted proxy. With an allowed-host list, any other host is refused, so a forged
 * {@code Host} cannot make the server hand out links elsewhere.
 */
final class Forwarding {

    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{1,5})?");
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*");

    private final Set<String> trustedProxies;
    private final Set<String> allowedHosts;

    Forwarding(Set<String> trustedProxies, Set<String> allowedHosts) {
        this.trustedProxies = Set.copyOf(trustedProxies);
        this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(
                java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** A request whose host, or whose forwarding headers, cannot be used. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The base URL for links in the answer to {@code request}: origin, proxy prefix and context path. */
    String base(ProtocolRequest request) throws Refused {
        String origin = request.origin();
        int schemeEnd = origin.indexOf("://");
        String scheme = schemeEnd < 0 ? "http" : origin.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String host = schemeEnd < 0 ? origin : origin.substring(schemeEnd + 3);
        String prefix = "";
        if (trustedProxies.contains(request.remoteAddress())) {
            Optional<Element> forwarded = forwarded(request);
            if (forwarded.isPresent()) {
                Element hop = forwarded.get();
                if (hop.proto != null) {
                    scheme = proto(hop.proto);
                }
                if (hop.host != null) {
                    host = host(hop.host);
                }
            } else {
                Optional<String> proto = last(request, "X-Forwarded-Proto");
                Optional<String> xhost = last(request, "X-Forwarded-Host");
                Optional<String> port = last(request, "X-Forwarded-Port");
                if (proto.isPresent()) {
                    scheme = proto(proto.get());
                }
                if (xhost.isPresent()) {
                    host = host(xhost.get());
                }
                if (port.isPresent()) {
                    if (!port.get().matches("[0-9]{1,5}")) {
                        throw new Refused("X-Forwarded-Port is not a port number.");
                    }
                    host = withoutPort(host) + ":" + port.get();
                }
            }
            Optional<String> xprefix = last(request, "X-Forwarded-Prefix");
            if (xprefix.isPresent()) {
                String value = xprefix.get().endsWith("/") ? xprefix.get().substring(0, xprefix.get().length() - 1)
                        : xprefix.get();
                if (!PREFIX.matcher(value).matches() || value.contains("/../") || value.endsWith("/..")) {
                    throw new Refused("X-Forwarded-Prefix is not a plain path.");
                }
                prefix = value;
            }
        }
        if (!allowedHosts.isEmpty() && !allowedHosts.contains(withoutPort(host).toLowerCase(Locale.ROOT))) {
            throw new Refused("This server does not answer for that host.");
        }
        host = dropDefaultPort(scheme, host);
        return scheme + "://" + host + prefix + request.contextPath();
    }

    private record Element(String proto, String host, String forAddress) {
    }

    /**
     * The element of {@code Forwarded} written by the nearest proxy we trust: the rightmost one,
     * moving left while an element's {@code for} is itself a trusted proxy.
     */
    private Optional<Element> forwarded(ProtocolRequest request) throws Refused {
        List<Element> elements = new ArrayList<>();
        for (String value : request.headerValues("Forwarded")) {
            for (String element : value.split(",")) {
                if (element.isBlank()) {
                    continue;
                }
                String proto = null;
                String host = null;
                String forAddress = null;
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new Refused("Forwarded is malformed.");
                    }
                    String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    String v = unquote(pair.substring(eq + 1).trim());
                    switch (name) {
                        case "proto" -> proto = v;
                        case "host" -> host = v;
                        case "for" -> forAddress = v;
                        default -> {
                            // by and extensions are not needed here
                        }
                    }
                }
                elements.add(new Element(proto, host, forAddress));
            }
        }
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        int i = elements.size() - 1;
        while (i > 0 && elements.get(i).forAddress != null && trustedProxies.contains(bare(elements.get(i).forAddress))) {
            i--;
        }
        return Optional.of(elements.get(i));
    }

    private static String bare(String address) {
        String a = address;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close > 0 ? a.substring(1, close) : a;
        }
        int colon = a.indexOf(':');
        return colon > 0 && a.indexOf(':', colon + 1) < 0 ? a.substring(0, colon) : a;
    }

    private static String unquote(String value) throws Refused {
        if (value.startsWith("\"")) {
            if (value.length() < 2 || !value.endsWith("\"")) {
                throw new Refused("Forwarded has an unterminated quoted value.");
            }
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static Optional<String> last(ProtocolRequest request, String name) {
        List<String> values = request.headerValues(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = values.get(values.size() - 1).split(",");
        String last = parts[parts.length - 1].trim();
        return last.isEmpty() ? Optional.empty() : Optional.of(last);
    }

    private static String proto(String value) throws Refused {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            throw new Refused("The forwarded protocol must be http or https.");
        }
        return lower;
    }

    private static String host(String value) throws Refused {
        if (!HOST.matcher(value).matches()) {
            throw new Refused("The forwarded host is not a host name.");
        }
        return value;
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close > 0 ? host.substring(0, close + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }

    private static String dropDefaultPort(String scheme, String host) {
        if ((scheme.equals("http") && host.endsWith(":80")) || (scheme.equals("https") && host.endsWith(":443"))) {
            return host.substring(0, host.lastIndexOf(':'));
        }
        return host;
    }
}
