package io.github.accepted.examples.reports;

import io.github.accepted.JobContext;
import io.github.accepted.JobHandler;
import io.github.accepted.Payload;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The slow work: renders a multi-page PDF report, one page at a time, reporting progress after
 * each page and stopping early when the job is canceled.
 */
public final class ReportGenerator implements JobHandler<ReportRequest, Payload> {

    private final Duration pageTime;

    /** A generator that spends {@code pageTime} on each page (the "slow" part of the example). */
    public ReportGenerator(Duration pageTime) {
        this.pageTime = pageTime;
    }

    @Override
    public Payload handle(ReportRequest request, JobContext context) throws InterruptedException {
        String title = title(request.reportType());
        Pdf pdf = new Pdf();
        Random figures = new Random(request.reportType().hashCode() * 31L + request.pages());
        for (int page = 1; page <= request.pages(); page++) {
            context.checkCancellation();
            Thread.sleep(pageTime.toMillis());
            List<String> lines = new ArrayList<>();
            lines.add(title + " - page " + page + " of " + request.pages());
            lines.add("Generated " + LocalDate.now(ZoneOffset.UTC) + " for job " + context.jobId());
            for (int row = 1; row <= 20; row++) {
                lines.add(String.format(
                        Locale.ROOT,
                        "Line item %02d ........................ %,12.2f",
                        row,
                        figures.nextDouble() * 100_000));
            }
            pdf.page(lines);
            context.progress(page * 100 / request.pages(), "rendered page " + page + " of " + request.pages());
        }
        return new Payload("application/pdf", pdf.toBytes());
    }

    private static String title(String reportType) {
        return switch (reportType) {
            case "annual_summary" -> "Annual summary";
            case "quarterly_summary" -> "Quarterly summary";
            default -> "Sales by region";
        };
    }
}
