package io.github.accepted.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.Accepted;
import io.github.accepted.conformance.TestHandlers;
import io.github.accepted.protocol.ProtocolEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The test Tomcat leaves nothing behind (issue 18: one build left about 60 accepted-tomcat* directories in /tmp). */
class TomcatServersTest {

    @Test
    void closing_deletesTheBaseDirectoryWithItsWorkFiles() throws Exception {
        try (Accepted accepted = TestHandlers.registerAll(Accepted.builder()).build()) {
            ProtocolEngine engine = ProtocolEngine.builder(accepted)
                    .route("POST", "/api/echo", "echo")
                    .build();
            TomcatServers.Running server = (TomcatServers.Running) TomcatServers.start(engine);
            Path base = server.baseDirectory();
            assertThat(base.resolve("work")).isDirectory();

            server.close();

            assertThat(base).doesNotExist();
        }
    }
}
