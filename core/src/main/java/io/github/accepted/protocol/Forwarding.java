package io.github.accepted.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Works out the absolute base URL clients used, behind proxies: {@code Forwarded} (RFC 7239),
 * else {@code X-Forwarded-Proto/-Host/-Port/-Prefix} — honoured only when the request came from
 * a trusted proxy. The adapter's origin is checked too (scheme http or https, a host, an optional
 * port: nothing else). With an allowed-host list, any other host or port is refused, so a forged
 * {@code Host} cannot make the server hand out links elsewhere.
 */
final class Forwarding {

    /** A host name (dot-separated labels, a final dot allowed) or an IP literal in brackets. */
    private static final String NAME =
            "(?:[A-Za-z0-9_~-]{1,63}(?:\\.[A-Za-z0-9_~-]{1,63})*\\.?|\\[[0-9A-Fa-f:.]{2,45}\\])";

    private static final Pattern AUTHORITY = Pattern.compile("(" + NAME + ")(?::([0-9]{1,5}))?");
    private static final Pattern ALLOWED = Pattern.compile("(" + NAME + ")(?::([0-9]{1,5}|\\*))?");
    private static final Pattern ORIGIN = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.*)", Pattern.DOTALL);
    private static final Pattern SEGMENT = Pattern.compile("(?:[A-Za-z0-9._~!$&'()*+,=:@-]|%[0-9A-Fa-f]{2})+");

    private final Set<String> trustedProxies;
    private final Set<String> allowedHosts;

    Forwarding(Set<String> trustedProxies, Set<String> allowedHosts) {
        this.trustedProxies = Set.copyOf(trustedProxies);
        this.allowedHosts = allowedHosts.stream().map(Forwarding::allowedHost).collect(Collectors.toUnmodifiableSet());
    }

    /** A request whose host, or whose forwarding headers, cannot be used. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * An entry of the allowed-host list in its canonical form: {@code name} (the scheme's
     * default port only), {@code name:port} or {@code name:*} (any port), lower case.
     *
     * @throws IllegalArgumentException if it is none of these
     */
    static String allowedHost(String entry) {
        Matcher m = ALLOWED.matcher(entry);
        if (!m.matches() || (m.group(2) != null && !m.group(2).equals("*") && !isPort(m.group(2)))) {
            throw new IllegalArgumentException("an allowed host is a name with an optional port or :*, like "
                    + "api.example.com, api.example.com:8443 or localhost:*: " + entry);
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        if (m.group(2) == null) {
            return name;
        }
        return name + ":" + (m.group(2).equals("*") ? "*" : Integer.toString(Integer.parseInt(m.group(2))));
    }

    /** An origin that passed every check, and the base it gives without the context path. */
    private record Checked(String origin, String base) {}

    /**
     * The last origin of a request that came directly (not from a trusted proxy) and passed:
     * a server sees the same one again and again, and checking it takes two regular expressions.
     */
    private volatile @Nullable Checked lastDirect;

    /** The base URL for links in the answer to {@code request}: origin, proxy prefix and context path. */
    String base(ProtocolRequest request) throws Refused {
        boolean viaProxy = trustedProxies.contains(request.remoteAddress());
        if (!viaProxy) {
            Checked last = lastDirect;
            if (last != null && last.origin().equals(request.origin())) {
                return last.base() + request.contextPath();
            }
        }
        Matcher origin = ORIGIN.matcher(request.origin());
        if (!origin.matches()) {
            throw new Refused("The request's origin is not a scheme, a host and an optional port.");
        }
        String scheme = scheme(origin.group(1), "The request's scheme must be http or https.");
        String host = authority(origin.group(2), "The request's host is not a host name with an optional port.");
        String prefix = "";
        if (viaProxy) {
            Optional<Element> forwarded = forwarded(request);
            if (forwarded.isPresent()) {
                Element hop = forwarded.get();
                if (hop.proto != null) {
                    scheme = scheme(hop.proto, "The forwarded protocol must be http or https.");
                }
                if (hop.host != null) {
                    host = authority(hop.host, "The forwarded host is not a host name with an optional port.");
                }
            } else {
                Optional<String> proto = last(request, "X-Forwarded-Proto");
                Optional<String> xhost = last(request, "X-Forwarded-Host");
                Optional<String> port = last(request, "X-Forwarded-Port");
                if (proto.isPresent()) {
                    scheme = scheme(proto.get(), "The forwarded protocol must be http or https.");
                }
                if (xhost.isPresent()) {
                    host = authority(xhost.get(), "The forwarded host is not a host name with an optional port.");
                }
                if (port.isPresent()) {
                    if (!isPort(port.get())) {
                        throw new Refused("X-Forwarded-Port must be a port number, 1 to 65535.");
                    }
                    host = withoutPort(host) + ":" + Integer.parseInt(port.get());
                }
            }
            Optional<String> xprefix = last(request, "X-Forwarded-Prefix");
            if (xprefix.isPresent()) {
                prefix = prefix(xprefix.get());
            }
        }
        if (!allowed(scheme, host)) {
            throw new Refused("This server does not answer for that host.");
        }
        String base = scheme + "://" + dropDefaultPort(scheme, host) + prefix;
        if (!viaProxy) {
            lastDirect = new Checked(request.origin(), base);
        }
        return base + request.contextPath();
    }

    private record Element(
            @Nullable String proto,
            @Nullable String host,
            @Nullable String forAddress) {}

    /**
     * The element of {@code Forwarded} written by the nearest proxy we trust: the rightmost one,
     * moving left while an element's {@code for} is itself a trusted proxy. Values may be
     * quoted-strings holding {@code ,} and {@code ;} (RFC 7239 §4).
     */
    private Optional<Element> forwarded(ProtocolRequest request) throws Refused {
        List<Element> elements = new ArrayList<>();
        for (String value : request.headerValues("Forwarded")) {
            List<String> parts;
            try {
                parts = QuotedLists.split(value, ',');
            } catch (IllegalArgumentException e) {
                throw new Refused("Forwarded has an unterminated quoted value.");
            }
            for (String element : parts) {
                if (element.isEmpty()) {
                    continue;
                }
                String proto = null;
                String host = null;
                String forAddress = null;
                for (String pair : QuotedLists.split(element, ';')) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new Refused("Forwarded is malformed.");
                    }
                    String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    String v;
                    try {
                        v = QuotedLists.unquote(pair.substring(eq + 1).trim());
                    } catch (IllegalArgumentException e) {
                        throw new Refused("Forwarded has a malformed quoted value.");
                    }
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
        while (i > 0 && trusted(elements.get(i).forAddress)) {
            i--;
        }
        return Optional.of(elements.get(i));
    }

    private boolean trusted(@Nullable String forAddress) {
        return forAddress != null && trustedProxies.contains(bare(forAddress));
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

    private static Optional<String> last(ProtocolRequest request, String name) {
        List<String> values = request.headerValues(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        // -1: a trailing comma leaves an empty last value (none), and "," alone is two empty ones
        String[] parts = values.get(values.size() - 1).split(",", -1);
        String last = parts[parts.length - 1].trim();
        return last.isEmpty() ? Optional.empty() : Optional.of(last);
    }

    private static String scheme(String value, String refusal) throws Refused {
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            throw new Refused(refusal);
        }
        return lower;
    }

    /** {@code name[:port]}, the port checked (1 to 65535) and written without leading zeros. */
    private static String authority(String value, String refusal) throws Refused {
        Matcher m = AUTHORITY.matcher(value);
        if (!m.matches()) {
            throw new Refused(refusal);
        }
        if (m.group(2) == null) {
            return value;
        }
        if (!isPort(m.group(2))) {
            throw new Refused(refusal);
        }
        return m.group(1) + ":" + Integer.parseInt(m.group(2));
    }

    private static boolean isPort(String value) {
        if (!value.matches("[0-9]{1,5}")) {
            return false;
        }
        int port = Integer.parseInt(value);
        return port >= 1 && port <= 65535;
    }

    /** A path of plain segments: no empty, {@code .} or {@code ..} segment (even percent-encoded), no {@code ;}. */
    private static String prefix(String value) throws Refused {
        String path = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        if (path.isEmpty()) {
            return "";
        }
        if (!path.startsWith("/")) {
            throw new Refused("X-Forwarded-Prefix must be a plain path, like /reports-service.");
        }
        for (String segment : path.substring(1).split("/", -1)) {
            String dots = segment.replace("%2e", ".").replace("%2E", ".");
            if (!SEGMENT.matcher(segment).matches() || dots.equals(".") || dots.equals("..")) {
                throw new Refused("X-Forwarded-Prefix must be a plain path, like /reports-service: "
                        + "no dot segments, no ';'.");
            }
        }
        return path;
    }

    /** Whether the allowed-host list (if any) lets the answer name {@code authority} under {@code scheme}. */
    private boolean allowed(String scheme, String authority) {
        if (allowedHosts.isEmpty()) {
            return true;
        }
        String name = withoutPort(authority).toLowerCase(Locale.ROOT);
        String defaultPort = scheme.equals("https") ? "443" : "80";
        String port = authority.length() > name.length() ? authority.substring(name.length() + 1) : defaultPort;
        return allowedHosts.contains(name + ":" + port)
                || allowedHosts.contains(name + ":*")
                || (port.equals(defaultPort) && allowedHosts.contains(name));
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
