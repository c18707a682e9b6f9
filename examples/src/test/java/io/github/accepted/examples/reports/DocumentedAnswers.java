package io.github.accepted.examples.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks live answers against an OpenAPI document: each answer's status is documented for its
 * operation, each of its headers is documented for that status, and its media type too; a
 * {@code 405}'s {@code Allow} names exactly the documented operations. Collects what it saw.
 * A copy of accepted-openapi's test class of the same name (a test-jar dependency would break
 * {@code mvn -pl examples -am compile exec:java}); keep the two in step.
 */
final class DocumentedAnswers {

    /** Headers about the connection or the framing, not the contract (OpenAPI ignores Content-Type). */
    private static final Set<String> FRAMING =
            Set.of("content-type", "date", "transfer-encoding", "connection", "keep-alive", "server");

    private final OpenAPI api;
    private final String contextPath;
    private final Map<String, Set<Integer>> seen = new TreeMap<>();

    private DocumentedAnswers(OpenAPI api, String contextPath) {
        this.api = api;
        this.contextPath = contextPath;
    }

    /**
     * Parses {@code json} as OpenAPI with swagger-parser, asserts it is 3.1 and produced no
     * message (error or warning), and checks answers against it.
     *
     * @param contextPath where the documented paths start in the URLs checked, like {@code /app}
     */
    static DocumentedAnswers parse(String json, String contextPath) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertThat(result.getMessages()).as("swagger-parser's messages").isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1.");
        return new DocumentedAnswers(result.getOpenAPI(), contextPath);
    }

    /** The parsed document. */
    OpenAPI api() {
        return api;
    }

    /** Asserts {@code response} to {@code method} on its URI's path is documented; returns it. */
    <T> HttpResponse<T> check(String method, HttpResponse<T> response) {
        String path = response.request().uri().getRawPath();
        assertThat(path).startsWith(contextPath);
        path = path.substring(contextPath.length());
        int status = response.statusCode();
        Map.Entry<String, PathItem> item = find(path);
        String what = method + " " + item.getKey() + " -> " + status;
        Operation operation = item.getValue().readOperationsMap().get(PathItem.HttpMethod.valueOf(method));
        if (operation == null) {
            assertThat(status).as(what + ": an undocumented method").isEqualTo(405);
            Set<String> allowed = Arrays.stream(
                            response.headers().firstValue("Allow").orElseThrow().split(","))
                    .map(String::trim)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> documented = item.getValue().readOperationsMap().keySet().stream()
                    .map(PathItem.HttpMethod::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(allowed)
                    .as(what + ": Allow names the documented operations")
                    .isEqualTo(documented);
            seen.computeIfAbsent(item.getKey() + " (other methods)", k -> new TreeSet<>())
                    .add(status);
            return response;
        }
        ApiResponse documented = operation.getResponses().get(Integer.toString(status));
        assertThat(documented).as(what + " is documented").isNotNull();
        Set<String> headers = documented.getHeaders() == null
                ? Set.of()
                : documented.getHeaders().keySet().stream()
                        .map(h -> h.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet());
        for (String name : response.headers().map().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (FRAMING.contains(lower)) {
                continue;
            }
            boolean framingLength = lower.equals("content-length") && status != 304 && !method.equals("HEAD");
            if (!framingLength) {
                assertThat(headers)
                        .as(what + ": header " + name + " is documented")
                        .contains(lower);
            }
        }
        response.headers()
                .firstValue("Content-Type")
                .filter(type -> !method.equals("HEAD"))
                .ifPresent(type -> {
                    String media = type.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
                    assertThat(documented.getContent())
                            .as(what + ": has content")
                            .isNotNull();
                    assertThat(documented.getContent().containsKey(media)
                                    || documented.getContent().containsKey("*/*"))
                            .as(what + ": media type " + media + " is documented")
                            .isTrue();
                });
        seen.computeIfAbsent(method + " " + item.getKey(), k -> new TreeSet<>()).add(status);
        return response;
    }

    /** Every status seen, by operation ({@code METHOD /path/{template}}). */
    Map<String, Set<Integer>> seen() {
        return seen;
    }

    private Map.Entry<String, PathItem> find(String path) {
        for (Map.Entry<String, PathItem> entry : api.getPaths().entrySet()) {
            if (path.equals(entry.getKey())) {
                return entry;
            }
        }
        for (Map.Entry<String, PathItem> entry : api.getPaths().entrySet()) {
            StringBuilder regex = new StringBuilder();
            for (String part : entry.getKey().split("\\{[^}]+}", -1)) {
                regex.append(regex.length() == 0 ? "" : "[^/]+").append(Pattern.quote(part));
            }
            if (path.matches(regex.toString())) {
                return entry;
            }
        }
        throw new AssertionError("no documented path matches " + path);
    }
}
