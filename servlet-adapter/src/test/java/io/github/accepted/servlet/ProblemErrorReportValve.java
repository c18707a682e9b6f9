package io.github.accepted.servlet;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report as an RFC 9457 problem: what docs/servlet.md tells applications to put in
 * place of the Host's {@link ErrorReportValve}, tested here as printed there. It answers the
 * requests Tomcat refuses before any servlet sees them (an encoded slash or a NUL in the path, a
 * control character in a header) with {@code application/problem+json}, and never writes the
 * exception or its stack.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String name =
                switch (status) {
                    case 400 -> "invalid-request";
                    case 404 -> "not-found";
                    case 405 -> "method-not-allowed";
                    default -> status >= 500 ? "internal" : "http-" + status;
                };
        String title =
                switch (status) {
                    case 400 -> "Invalid request";
                    case 404 -> "Not found";
                    case 405 -> "Method not allowed";
                    default -> status >= 500 ? "Internal server error" : "Client error";
                };
        String json = "{\"type\":\"urn:accepted:problem:" + name + "\",\"title\":\"" + title + "\",\"status\":" + status
                + "}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the response can no longer be written: the status alone goes out
        }
    }
}
