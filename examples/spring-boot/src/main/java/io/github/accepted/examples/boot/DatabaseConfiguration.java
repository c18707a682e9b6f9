package io.github.accepted.examples.boot;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A PostgreSQL pool when {@code JDBC_URL} (or {@code spring.datasource.url}) is given, with
 * {@code JDBC_USER} / {@code JDBC_PASSWORD}. With a {@code DataSource} bean and accepted-postgres
 * on the class path, the starter keeps jobs in PostgreSQL, so several instances share them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${spring.datasource.url:${JDBC_URL:}}'.isEmpty()")
public class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(Environment environment) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(environment.getProperty(
                "spring.datasource.url", environment.getProperty("JDBC_URL", ""))); // one is set: the condition above
        config.setUsername(environment.getProperty(
                "spring.datasource.username", environment.getProperty("JDBC_USER", "postgres")));
        config.setPassword(
                environment.getProperty("spring.datasource.password", environment.getProperty("JDBC_PASSWORD", "")));
        config.setMaximumPoolSize(10);
        config.setPoolName("accepted-example");
        return new HikariDataSource(config);
    }
}
