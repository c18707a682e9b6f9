package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.Accepted;
import io.github.accepted.JobHandler;
import io.github.accepted.spring.boot.AcceptedJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.ResolvableType;

/**
 * The application's {@link JobHandler} beans, each named by its {@link AcceptedJob}: what the
 * engine registers and which routes they declare.
 */
final class JobBeans {

    /** One handler bean. */
    record Declared(String beanName, AcceptedJob job, Class<?> input, JobHandler<?, ?> handler) {}

    private final List<Declared> declared;

    private JobBeans(List<Declared> declared) {
        this.declared = List.copyOf(declared);
    }

    /**
     * Finds the handler beans.
     *
     * @throws IllegalStateException if one has no {@code @AcceptedJob} or no readable input type
     */
    static JobBeans of(ConfigurableListableBeanFactory beans) {
        List<Declared> found = new ArrayList<>();
        for (String name : beans.getBeanNamesForType(JobHandler.class)) {
            AcceptedJob job = beans.findAnnotationOnBean(name, AcceptedJob.class);
            if (job == null) {
                throw new IllegalStateException("JobHandler bean '" + name
                        + "' has no @AcceptedJob(type = ...): name its job type on the class or the @Bean method");
            }
            JobHandler<?, ?> handler = beans.getBean(name, JobHandler.class);
            found.add(new Declared(name, job, inputType(beans, name, job, handler), handler));
        }
        return new JobBeans(found);
    }

    private static Class<?> inputType(
            ConfigurableListableBeanFactory beans, String name, AcceptedJob job, JobHandler<?, ?> handler) {
        if (job.input() != void.class) {
            return job.input();
        }
        Class<?> input = null;
        if (beans.containsBeanDefinition(name)) {
            input = ResolvableType.forType(beans.getMergedBeanDefinition(name)
                            .getResolvableType()
                            .getType())
                    .as(JobHandler.class)
                    .getGeneric(0)
                    .resolve();
        }
        if (input == null) {
            input = ResolvableType.forClass(AopUtils.getTargetClass(handler))
                    .as(JobHandler.class)
                    .getGeneric(0)
                    .resolve();
        }
        if (input == null) {
            throw new IllegalStateException("cannot tell the input type of JobHandler bean '" + name
                    + "': declare it as JobHandler<Input, Output>, or set @AcceptedJob(input = Input.class)");
        }
        return input;
    }

    /** Whether there is no handler bean. */
    boolean isEmpty() {
        return declared.isEmpty();
    }

    /** Registers every handler on {@code builder}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void registerOn(Accepted.Builder builder) {
        for (Declared d : declared) {
            builder.handler(d.job().type(), (Class) d.input(), (JobHandler) d.handler());
        }
    }

    /**
     * The routes: each {@code @AcceptedJob}'s, changed by {@code accepted.routes.<type>.*}, and
     * the other {@code accepted.routes.<name>.*}; disabled ones left out.
     */
    List<RouteSpec> routes(Map<String, AcceptedProperties.RouteProperties> configured) {
        Map<String, RouteSpec> specs = new LinkedHashMap<>();
        for (Declared d : declared) {
            AcceptedJob job = d.job();
            if (!job.route().isBlank() || configured.containsKey(job.type())) {
                specs.put(
                        job.type(),
                        new RouteSpec(
                                job.type(),
                                job.type(),
                                job.route().isBlank() ? null : job.route(),
                                true,
                                duration(job.waitByDefault()),
                                job.requireIdempotencyKey(),
                                job.echoInput(),
                                duration(job.retryAfter())));
            }
        }
        configured.forEach((name, properties) -> specs.merge(
                name,
                RouteSpec.fromProperties(name, properties),
                (annotated, fromProperties) -> annotated.overriddenBy(properties)));
        return specs.values().stream().filter(RouteSpec::enabled).toList();
    }

    private static @Nullable Duration duration(String text) {
        return text.isBlank() ? null : DurationStyle.detectAndParse(text);
    }
}
