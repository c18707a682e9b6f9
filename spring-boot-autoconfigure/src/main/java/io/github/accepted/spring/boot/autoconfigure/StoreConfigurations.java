package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.postgres.PostgresJobStore;
import io.github.accepted.spi.JobStore;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link JobStore}: PostgreSQL when it can be, else memory, unless {@code accepted.store} says. */
final class StoreConfigurations {

    private StoreConfigurations() {}

    /** With accepted-postgres and a DataSource bean: PostgreSQL, unless {@code accepted.store=memory}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(PostgresJobStore.class)
    @ConditionalOnBean(DataSource.class)
    static class Postgres {

        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean
        JobStore acceptedJobStore(AcceptedProperties properties, DataSource dataSource) {
            if (properties.getStore() == AcceptedProperties.StoreType.MEMORY) {
                return Memory.inMemory(properties);
            }
            AcceptedProperties.Postgres settings = properties.getPostgres();
            PostgresJobStore.Builder builder = PostgresJobStore.builder(dataSource)
                    .maxQueued(properties.getMaxQueued())
                    .leaseTimeout(settings.getLeaseTimeout())
                    .createSchema(settings.isCreateSchema())
                    .listen(settings.isListen());
            if (properties.getMaxRetained() != null) {
                builder.maxRetained(properties.getMaxRetained());
            }
            if (settings.getInstanceId() != null) {
                builder.instanceId(settings.getInstanceId());
            }
            return builder.build();
        }
    }

    /** Otherwise: in memory. */
    @Configuration(proxyBeanMethods = false)
    static class Memory {

        @Bean(destroyMethod = "") // the engine closes its store
        @ConditionalOnMissingBean
        JobStore acceptedJobStore(AcceptedProperties properties) {
            if (properties.getStore() == AcceptedProperties.StoreType.POSTGRES) {
                throw new IllegalStateException("accepted.store=postgres needs accepted-postgres on the class path "
                        + "and a DataSource bean (spring.datasource.url, or your own)");
            }
            return inMemory(properties);
        }

        static JobStore inMemory(AcceptedProperties properties) {
            return JobStore.inMemory(
                    properties.getMaxQueued(),
                    properties.getMaxRetained() != null ? properties.getMaxRetained() : JobStore.DEFAULT_MAX_RETAINED);
        }
    }
}
