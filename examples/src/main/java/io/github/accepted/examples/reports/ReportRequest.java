package io.github.accepted.examples.reports;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.accepted.InvalidInputException;
import java.util.Set;

/**
 * What a client posts to {@code /api/reports}: {@code {"report_type": "annual_summary", "pages": 5}}.
 * Checked when it is read, so a bad request is a {@code 400} before anything is queued.
 *
 * @param reportType one of {@link #TYPES}
 * @param pages      1 to {@value #MAX_PAGES}; 5 when left out
 */
public record ReportRequest(
        @JsonProperty("report_type") String reportType,
        @JsonProperty("pages") Integer pages) {

    /** The report types this server knows. */
    public static final Set<String> TYPES = Set.of("annual_summary", "quarterly_summary", "sales_by_region");
    /** The most pages a report may have. */
    public static final int MAX_PAGES = 50;

    /** Checks the type and the page count. */
    public ReportRequest {
        if (reportType == null) {
            throw new InvalidInputException("report_type is required; one of "
                    + String.join(", ", TYPES.stream().sorted().toList()));
        }
        if (!TYPES.contains(reportType)) {
            throw new InvalidInputException("unknown report_type; use one of "
                    + String.join(", ", TYPES.stream().sorted().toList()));
        }
        if (pages == null) {
            pages = 5;
        }
        if (pages < 1 || pages > MAX_PAGES) {
            throw new InvalidInputException("pages must be from 1 to " + MAX_PAGES);
        }
    }
}
