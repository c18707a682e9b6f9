package io.github.accepted.servlet;

import io.github.accepted.protocol.AcceptedResponse;
import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.protocol.ProtocolRequest;
import io.github.accepted.protocol.RequestBody;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link ProtocolEngine} from a Servlet 6 container: translates each request into a
 * {@link ProtocolRequest} and writes the {@link AcceptedResponse} back, deciding nothing itself.
 *
 * <p>Map it to every route path of the engine and to its jobs path ({@code /jobs} and
 * {@code /jobs/*}); {@link AcceptedInitializer} does that for you. For {@code web.xml}, use the
 * no-argument constructor and put the engine in the context attribute {@link #ENGINE_ATTRIBUTE}
 * (from a {@code ServletContextListener}) before the servlet starts.
 *
 * <p>No container thread waits on a client: a submission's body is read with non-blocking I/O
 * (async mode and a {@code ReadListener}, started only once the engine has checked the request's
 * head) unless the container holds all of it already (up to 64 KiB, without {@code Expect}), and
 * a {@code Prefer: wait} is answered from async mode too. Both need every filter in the
 * chain to be async-supported; where one is not, the body is read with blocking calls and a
 * warning is logged once.
 */
public class AcceptedServlet extends HttpServlet {

    /** The servlet-context attribute the no-argument form reads its {@link ProtocolEngine} from. */
    public static final String ENGINE_ATTRIBUTE = ProtocolEngine.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(AcceptedServlet.class);
    private static final byte[] INTERNAL_ERROR = ("{\"type\":\"urn:accepted:problem:internal\","
                    + "\"title\":\"Internal server error\",\"status\":500,"
                    + "\"detail\":\"The server could not answer this request. Its log has the details.\"}")
            .getBytes(StandardCharsets.UTF_8);

    /** The largest body {@link #arrivedBody} takes when it is all there. */
    private static final int ARRIVED_LIMIT = 64 << 10;

    private transient ProtocolEngine engine;
    private final transient OwnerResolver owners;
    private volatile boolean warnedSync;

    /** For {@code web.xml}: reads the engine from {@link #ENGINE_ATTRIBUTE} at {@link #init()}. */
    @SuppressWarnings("NullAway.Init") // engine: set by init(), which the container calls before service()
    public AcceptedServlet() {
        this.owners = OwnerResolver.userPrincipal();
    }

    /** Serves {@code engine}, with owners from the request's user principal. */
    public AcceptedServlet(ProtocolEngine engine) {
        this(engine, OwnerResolver.userPrincipal());
    }

    /** Serves {@code engine}, with owners decided by {@code owners}. */
    public AcceptedServlet(ProtocolEngine engine, OwnerResolver owners) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.owners = Objects.requireNonNull(owners, "owners");
    }

    @Override
    public void init() throws ServletException {
        if (engine == null) {
            Object attribute = getServletContext().getAttribute(ENGINE_ATTRIBUTE);
            if (!(attribute instanceof ProtocolEngine configured)) {
                throw new ServletException("put a ProtocolEngine in the servlet context attribute " + ENGINE_ATTRIBUTE
                        + " before this servlet starts");
            }
            engine = configured;
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CompletableFuture<AcceptedResponse> reply;
        BodyState body = new BodyState(request);
        try {
            reply = engine.handleAsync(translate(request, body));
        } catch (RuntimeException e) {
            LOG.error("could not translate {} {}", request.getMethod(), request.getRequestURI(), e);
            writeInternalError(response);
            return;
        }
        if (request.isAsyncStarted()) {
            // the engine is reading the body without blocking: answer when it is done
            finishAsync(request.getAsyncContext(), reply, body);
            return;
        }
        if (reply.isDone()) {
            write(reply.join(), response, body);
            return;
        }
        if (!request.isAsyncSupported()) {
            warnSync(request);
            write(reply.join(), response, body);
            return;
        }
        // the client asked to wait: free this thread; the answer is written when the job changes
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the engine always answers by the wait's deadline
        finishAsync(async, reply, body);
    }

    private static void finishAsync(AsyncContext async, CompletableFuture<AcceptedResponse> reply, BodyState body) {
        var unused = reply.whenComplete((answer, error) -> { // it writes the answer: nothing to wait for
            try {
                async.start(() -> {
                    try {
                        write(answer, (HttpServletResponse) async.getResponse(), body);
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("could not write a delayed answer (the client may have gone)", e);
                    } finally {
                        complete(async);
                    }
                });
            } catch (IllegalStateException e) {
                // the container ended the request already (the connection failed while its body was read)
                LOG.debug("the request ended before its answer", e);
            }
        });
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            LOG.debug("the request ended before its answer", e);
        }
    }

    private void warnSync(HttpServletRequest request) {
        if (!warnedSync) {
            warnedSync = true;
            LOG.warn(
                    "a filter or servlet on {} is not async-supported: each request body and each Prefer: wait "
                            + "holds a container thread until it ends; mark every filter in the chain async-supported",
                    request.getRequestURI());
        }
    }

    private ProtocolRequest translate(HttpServletRequest request, BodyState state) throws IOException {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath();
        String path = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
        if (path.isEmpty()) {
            path = "/";
        }
        // the engine copies them into its own case-insensitive map: one list per name, no more
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            if (!values.hasMoreElements()) {
                headers.put(name, List.of());
                continue;
            }
            String first = values.nextElement();
            if (!values.hasMoreElements()) {
                headers.put(name, List.of(first));
                continue;
            }
            List<String> all = new ArrayList<>();
            all.add(first);
            while (values.hasMoreElements()) {
                all.add(values.nextElement());
            }
            headers.put(name, all);
        }
        String query = request.getQueryString();
        RequestBody body;
        byte[] arrived = arrivedBody(request);
        if (arrived != null) {
            state.readToTheEnd();
            body = RequestBody.ofBytes(arrived);
        } else if (request.isAsyncSupported()) {
            body = RequestBody.ofPublisher(new ServletBody(request, state::readToTheEnd));
        } else {
            warnSync(request);
            body = RequestBody.ofStream(state.watch(request.getInputStream()));
        }
        return new ProtocolRequest(
                request.getMethod(),
                path,
                query == null ? "" : query,
                headers,
                owners.ownerOf(request),
                origin(request),
                contextPath,
                request.getRemoteAddr(),
                body);
    }

    /**
     * The body, if the container holds all of it already: a {@code Content-Length} of at most
     * {@value #ARRIVED_LIMIT} bytes, all {@linkplain java.io.InputStream#available() available}
     * (so reading them cannot block), and no {@code Expect} (reading would send a
     * {@code 100 Continue} the engine may not want to send). Most submissions come whole in the
     * packet of their head; reading them here spares the async mode and its dispatches.
     * {@code null} otherwise: the body is then read by the engine, without blocking.
     */
    private static byte @Nullable [] arrivedBody(HttpServletRequest request) throws IOException {
        long length = request.getContentLengthLong();
        if (length <= 0
                || length > ARRIVED_LIMIT
                || request.getHeader("Expect") != null
                || request.getHeader("Transfer-Encoding") != null) {
            return null;
        }
        InputStream in = request.getInputStream();
        if (in.available() < length) {
            return null;
        }
        byte[] body = in.readNBytes((int) length);
        return body.length == length ? body : null;
    }

    /** {@code scheme://host[:port]}, the port left out when it is the scheme's default. */
    static String origin(HttpServletRequest request) {
        String scheme = request.getScheme();
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = request.getServerPort();
        boolean defaultPort =
                port <= 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }

    private static void write(AcceptedResponse reply, HttpServletResponse response, BodyState request)
            throws IOException {
        response.setStatus(reply.status());
        reply.headers().forEach(response::setHeader);
        if (request.leftUnread()) {
            // RFC 9112 §9.6: the answer came before the whole body. A container that then cannot
            // drain it closes the connection after a response that looked persistent (Jetty does,
            // when the rest has not arrived yet), and the client's next request on that connection
            // finds it dead. Saying so lets the client open a new one.
            response.setHeader("Connection", "close");
        }
        byte[] body = reply.body();
        if (body.length > 0) {
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } else if (reply.status() == 304) {
            // A 304 has no body and the engine sends no Content-Length (RFC 9110 §8.6). Jetty adds
            // "Content-Length: 0" to a response that ends unwritten, which is wrong for a 304 (it is
            // the length of the 200's body, or absent); a response committed before its end is sent
            // without one. Tomcat never sends a length on a 304.
            response.flushBuffer();
        }
    }

    private static void writeInternalError(HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(500);
        response.setHeader("Connection", "close");
        response.setHeader("Content-Type", "application/problem+json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(INTERNAL_ERROR.length);
        response.getOutputStream().write(INTERNAL_ERROR);
    }

    /** Whether a request declared a body and whether it was read to its end. */
    private static final class BodyState {

        private final boolean declared;
        private volatile boolean readToTheEnd;

        BodyState(HttpServletRequest request) {
            declared = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        }

        void readToTheEnd() {
            readToTheEnd = true;
        }

        boolean leftUnread() {
            return declared && !readToTheEnd;
        }

        InputStream watch(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0) {
                        readToTheEnd();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n < 0) {
                        readToTheEnd();
                    }
                    return n;
                }
            };
        }
    }
}
