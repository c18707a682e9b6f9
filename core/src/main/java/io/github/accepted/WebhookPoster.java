package io.github.accepted;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST over a socket to the address that was checked, never to a fresh DNS answer
 * (no DNS rebinding): {@code Host} and, for https, SNI and certificate checks use the URL's
 * host. No redirects are followed; the answer is read only up to its status line, within
 * {@value #MAX_RESPONSE_BYTES} bytes, and the whole exchange within the total timeout.
 */
final class WebhookPoster {

    static final int MAX_RESPONSE_BYTES = 8192;

    /** How an attempt ended: the status (0 when no answer came) and, when it failed, why. */
    record Outcome(int status, String error) {
        boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    private final Duration connectTimeout;
    private final Duration totalTimeout;
    private final SSLSocketFactory tls;

    WebhookPoster(Duration connectTimeout, Duration totalTimeout, SSLSocketFactory tls) {
        this.connectTimeout = connectTimeout;
        this.totalTimeout = totalTimeout;
        this.tls = tls;
    }

    Outcome post(URI url, InetAddress address, Map<String, String> headers, byte[] body) {
        long deadline = System.nanoTime() + totalTimeout.toNanos();
        boolean https = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
        String host = url.getHost();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), (int) Math.max(1, connectTimeout.toMillis()));
            Socket socket = https ? secure(plain, bareHost(host), port, deadline) : plain;
            try {
                socket.setSoTimeout(remaining(deadline));
                OutputStream out = socket.getOutputStream();
                out.write(head(url, host, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return new Outcome(readStatus(socket, deadline), "");
            } finally {
                if (socket != plain) {
                    socket.close();
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Outcome(0, describe(e));
        }
    }

    private Socket secure(Socket plain, String host, int port, long deadline) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.setSoTimeout(remaining(deadline));
        ssl.startHandshake();
        return ssl;
    }

    private static String head(URI url, String host, Map<String, String> headers, int length) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        StringBuilder head = new StringBuilder();
        head.append("POST ").append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ")
                .append(host)
                .append(url.getPort() != -1 ? ":" + url.getPort() : "")
                .append("\r\n");
        head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(length).append("\r\n");
        head.append("User-Agent: accepted-webhooks\r\n");
        head.append("Connection: close\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    /** Reads the status line only (within the byte limit and the deadline). */
    private static int readStatus(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int read = 0; read < MAX_RESPONSE_BYTES; read++) {
            socket.setSoTimeout(remaining(deadline));
            int b = in.read();
            if (b == -1 || b == '\n') {
                break;
            }
            line.append((char) b);
        }
        String[] parts = line.toString().trim().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer");
        }
        try {
            int status = Integer.parseInt(parts[1]);
            if (status < 100 || status > 599) {
                throw new IOException("not an HTTP status: " + parts[1]);
            }
            return status;
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status");
        }
    }

    private static int remaining(long deadline) throws IOException {
        long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (left <= 0) {
            throw new java.net.SocketTimeoutException("timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static String bareHost(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String describe(Exception e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "").toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "sockettimeout" -> "timed out";
            case "connect" -> "connection refused";
            default ->
                e instanceof IOException
                                && e.getMessage() != null
                                && e.getMessage().startsWith("not an")
                        ? e.getMessage()
                        : "could not be reached (" + kind + ")";
        };
    }
}
