package io.github.accepted.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.accepted.JobHandler;
import io.github.accepted.postgres.PostgresJobStore;
import io.github.accepted.spi.JobStore;
import io.github.accepted.spring.boot.AcceptedJob;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** With accepted-postgres and a DataSource, jobs go to PostgreSQL unless {@code accepted.store=memory}. */
class PostgresStoreTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Configuration(proxyBeanMethods = false)
    static class App {
        @Bean
        DataSource dataSource() {
            return postgres.getPostgresDatabase();
        }

        @Bean
        @AcceptedJob(type = "report", route = "POST /api/reports")
        JobHandler<Map<String, Object>, String> report() {
            return (input, context) -> "done";
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AcceptedAutoConfiguration.class))
            .withUserConfiguration(App.class);

    @Test
    void dataSource_meansPostgres_withThePropertiesApplied() {
        runner.withPropertyValues("accepted.postgres.instance-id=boot-test", "accepted.postgres.listen=false")
                .run(context -> {
                    assertThat(context.getBean(JobStore.class)).isInstanceOf(PostgresJobStore.class);
                    assertThat(((PostgresJobStore) context.getBean(JobStore.class)).instanceId())
                            .isEqualTo("boot-test");
                });
    }

    @Test
    void storeMemory_keepsJobsInMemory_evenWithADataSource() {
        runner.withPropertyValues("accepted.store=memory")
                .run(context -> assertThat(context.getBean(JobStore.class)).isNotInstanceOf(PostgresJobStore.class));
    }

    @Test
    void storePostgres_withoutADataSource_failsStartup_sayingWhatIsMissing() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AcceptedAutoConfiguration.class))
                .withPropertyValues("accepted.store=postgres")
                .withBean("report", JobHandler.class, () -> (JobHandler<Map<String, Object>, String>) (i, c) -> "x")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(AutoConfigurationTest.messages(context.getStartupFailure()))
                            .contains("accepted.store=postgres needs accepted-postgres");
                });
    }
}
