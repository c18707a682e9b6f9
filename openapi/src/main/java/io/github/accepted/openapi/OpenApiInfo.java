package io.github.accepted.openapi;

import java.util.List;
import java.util.Objects;

/**
 * What the document says of the API itself: its {@code info} (title, version, description) and
 * its {@code servers}. Immutable.
 *
 * @param title       the API's name
 * @param version     the API's version (not OpenAPI's)
 * @param description what the API does, in CommonMark; empty for none
 * @param servers     base URLs of the API (where the application's context path starts); empty
 *                    to leave it to the server that serves the document
 */
public record OpenApiInfo(String title, String version, String description, List<String> servers) {

    /**
     * Checks every part.
     *
     * @throws IllegalArgumentException if the title or version is blank, or a server URL is blank
     */
    public OpenApiInfo {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        if (title.isBlank() || version.isBlank()) {
            throw new IllegalArgumentException("an OpenAPI document needs a title and a version");
        }
        if (servers.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a server URL must not be blank");
        }
    }

    /** A title and version, no description, no servers. */
    public static OpenApiInfo of(String title, String version) {
        return new OpenApiInfo(title, version, "", List.of());
    }

    /** This info with {@code value} as its description. */
    public OpenApiInfo withDescription(String value) {
        return new OpenApiInfo(title, version, value, servers);
    }

    /** This info with these server URLs, such as {@code https://api.example.com/reports-service}. */
    public OpenApiInfo withServers(String... urls) {
        return new OpenApiInfo(title, version, description, List.of(urls));
    }
}
