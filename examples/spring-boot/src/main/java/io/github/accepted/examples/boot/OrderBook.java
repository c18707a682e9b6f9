package io.github.accepted.examples.boot;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.springframework.stereotype.Component;

/** The application's data, standing in for a repository: each user's orders, month by month. */
@Component
public class OrderBook {

    /** One order. */
    public record Order(String id, String customer, YearMonth month, double amount) {}

    /** {@code customer}'s orders of {@code month} (a few, made up, the same on every call). */
    public List<Order> ordersOf(String customer, YearMonth month) {
        Random random = new Random(customer.hashCode() * 31L + month.hashCode());
        List<Order> orders = new ArrayList<>();
        int count = 2 + random.nextInt(3);
        for (int i = 1; i <= count; i++) {
            orders.add(new Order(
                    String.format(Locale.ROOT, "%s-%s-%d", customer, month, i),
                    customer,
                    month,
                    Math.round(random.nextDouble() * 100_000) / 100.0));
        }
        return orders;
    }

    /** The current month, UTC. */
    public YearMonth thisMonth() {
        return YearMonth.now(ZoneOffset.UTC);
    }
}
