package io.github.accepted.examples.boot;

import io.github.accepted.InvalidInputException;
import io.github.accepted.JobContext;
import io.github.accepted.JobHandler;
import io.github.accepted.Payload;
import io.github.accepted.spring.boot.AcceptedJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The slow work: exports the submitter's orders as CSV, a month at a time, reporting progress.
 * It reads the owner from the job ({@link JobContext#owner()}), not from Spring Security: the job
 * may run later, on another instance, where no request's security context exists.
 */
@Component
@AcceptedJob(type = "export", route = "POST /api/exports")
public class ExportJob implements JobHandler<ExportRequest, Payload> {

    private final OrderBook orders;
    private final Duration monthTime;

    /** Uses {@code orders}, spending {@code example.month-time} on each month (the "slow" part). */
    public ExportJob(OrderBook orders, @Value("${example.month-time:1s}") Duration monthTime) {
        this.orders = orders;
        this.monthTime = monthTime;
    }

    @Override
    public void validate(ExportRequest request) {
        if (request.months() < 1 || request.months() > 24) {
            throw new InvalidInputException("months must be between 1 and 24");
        }
    }

    @Override
    public Payload handle(ExportRequest request, JobContext context) throws InterruptedException {
        String customer = context.owner().orElseThrow(() -> new IllegalStateException("exports need a user"));
        StringBuilder csv = new StringBuilder("order,customer,month,amount\n");
        YearMonth month = orders.thisMonth().minusMonths(request.months() - 1L);
        for (int done = 1; done <= request.months(); done++, month = month.plusMonths(1)) {
            context.checkCancellation();
            Thread.sleep(monthTime.toMillis());
            for (OrderBook.Order order : orders.ordersOf(customer, month)) {
                csv.append(String.format(
                        Locale.ROOT, "%s,%s,%s,%.2f%n", order.id(), order.customer(), order.month(), order.amount()));
            }
            context.progress(done * 100 / request.months(), "exported " + month);
        }
        return new Payload("text/csv", csv.toString().getBytes(StandardCharsets.UTF_8));
    }
}
