package io.github.accepted;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POST goes to the address that was checked while speaking for the URL's host (issue 16,
 * item 3, no DNS rebinding): {@code Host} on http; SNI and the certificate check on https.
 */
class WebhookPosterTest {

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static WebhookPoster poster(SSLContext tls) {
        return new WebhookPoster(Duration.ofSeconds(5), Duration.ofSeconds(10), tls.getSocketFactory());
    }

    @Test
    void http_connectsToTheCheckedAddress_andSendsTheUrlsHostHeader() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("Host") + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        WebhookPoster.Outcome outcome = poster(SSLContext.getDefault())
                .post(
                        URI.create("http://hooks.test:" + port + "/in?x=1"), InetAddress.getLoopbackAddress(),
                        Map.of("webhook-id", "msg_1"), "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(outcome.status()).isEqualTo(204);
        assertThat(seen).containsExactly("hooks.test:" + port + " /in?x=1");
    }

    @Test
    void https_sendsTheUrlsHostAsSni_andChecksTheCertificateAgainstIt() throws Exception {
        Path keys = dir.resolve("hooks.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "hook",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=hooks.test",
                        "-ext",
                        "SAN=dns:hooks.test",
                        "-validity",
                        "2",
                        "-keystore",
                        keys.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(keys))
                .as(new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keys.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("hook", store.getCertificate("hook"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/", exchange -> {
            ExtendedSSLSession session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
            String sni = session.getRequestedServerNames().stream()
                    .map(name -> ((SNIHostName) name).getAsciiName())
                    .findFirst()
                    .orElse("none");
            seen.add(sni + " " + exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        https.start();
        server = https;
        int port = https.getAddress().getPort();
        InetAddress loopback = InetAddress.getLoopbackAddress();

        WebhookPoster.Outcome delivered = poster(clientTls)
                .post(
                        URI.create("https://hooks.test:" + port + "/in"),
                        loopback,
                        Map.of(),
                        "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(delivered.status()).isEqualTo(200);
        assertThat(seen).containsExactly("hooks.test hooks.test:" + port);

        WebhookPoster.Outcome wrongName = poster(clientTls)
                .post(
                        URI.create("https://other.test:" + port + "/in"),
                        loopback,
                        Map.of(),
                        "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(wrongName.delivered())
                .as("a certificate for another name is refused")
                .isFalse();
        assertThat(wrongName.status()).isZero();
        assertThat(seen).hasSize(1);
    }
}
