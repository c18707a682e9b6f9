package io.github.accepted.servlet;

import io.github.accepted.conformance.RunningServer;
import io.github.accepted.protocol.ProtocolEngine;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** Starts embedded Tomcat 11 on a free port with the adapter mounted under /app. */
final class TomcatServers {

    /** Held so the setting sticks: Tomcat logs every start and stop at INFO. */
    private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

    static {
        TOMCAT_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    private TomcatServers() {}

    static RunningServer start(ProtocolEngine engine) throws Exception {
        return start(engine, 8192);
    }

    /** With room for this many connections at once. */
    static RunningServer start(ProtocolEngine engine, int maxConnections) throws Exception {
        return start(engine, maxConnections, 200);
    }

    /** With a pool of at most {@code maxThreads} request threads (acceptor and poller are apart). */
    static RunningServer startWithThreads(ProtocolEngine engine, int maxThreads) throws Exception {
        return start(engine, 8192, maxThreads);
    }

    private static RunningServer start(ProtocolEngine engine, int maxConnections, int maxThreads) throws Exception {
        File base = Files.createTempDirectory("accepted-tomcat").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxConnections", Integer.toString(maxConnections));
        connector.setProperty("acceptCount", "1024");
        connector.setProperty("maxThreads", Integer.toString(maxThreads));
        connector.setProperty("minSpareThreads", Integer.toString(Math.min(10, maxThreads)));
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("/app", base.getAbsolutePath());
        context.addServletContainerInitializer(TestPrincipalFilter.INITIALIZER, null);
        context.addServletContainerInitializer(new AcceptedInitializer(engine), null);
        tomcat.start();
        URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app");
        return new Running(tomcat, uri, base.toPath());
    }

    /** A started Tomcat; closing it stops Tomcat and deletes its base directory (work files included). */
    record Running(Tomcat tomcat, URI baseUri, Path baseDirectory) implements RunningServer {

        @Override
        public void close() throws Exception {
            try {
                tomcat.stop();
                tomcat.destroy();
            } finally {
                deleteRecursively(baseDirectory);
                // Tomcat can create the (empty) base directory again after stopping: gone at exit at least
                baseDirectory.toFile().deleteOnExit();
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
