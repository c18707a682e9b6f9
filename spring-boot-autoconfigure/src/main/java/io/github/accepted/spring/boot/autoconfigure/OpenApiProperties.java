package io.github.accepted.spring.boot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code accepted.openapi.*}: whether and where a servlet application serves the OpenAPI document
 * of Accepted's endpoints (accepted-openapi on the class path).
 */
@ConfigurationProperties("accepted.openapi")
public class OpenApiProperties {

    /** Serve the OpenAPI document of Accepted's endpoints. */
    private boolean enabled;

    /** Where the document is served, inside the application. */
    private String path = "/v3/api-docs/accepted";

    /** The document's info.title. */
    private String title = "Accepted jobs";

    /** The document's info.version: the API's version, not OpenAPI's. */
    private String version = "1";

    /** Whether the document is served. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Serves the document, or not. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** The document's path. */
    public String getPath() {
        return path;
    }

    /** Serves the document at {@code path}, which starts with {@code /}. */
    public void setPath(String path) {
        this.path = path;
    }

    /** The document's title. */
    public String getTitle() {
        return title;
    }

    /** Names the API in the document. */
    public void setTitle(String title) {
        this.title = title;
    }

    /** The API's version in the document. */
    public String getVersion() {
        return version;
    }

    /** Sets the API's version in the document. */
    public void setVersion(String version) {
        this.version = version;
    }
}
