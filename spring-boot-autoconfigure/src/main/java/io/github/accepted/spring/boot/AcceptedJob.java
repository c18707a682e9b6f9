package io.github.accepted.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the job type a {@link io.github.accepted.JobHandler} bean runs, and optionally the submit
 * endpoint that creates such jobs. Put it on a {@code @Component} class or on a {@code @Bean}
 * method.
 *
 * <pre>{@code
 * @Component
 * @AcceptedJob(type = "report", route = "POST /api/reports")
 * class ReportJob implements JobHandler<ReportRequest, Payload> { ... }
 * }</pre>
 *
 * <p>The type is the job's durable name: it is stored with every job, so any instance sharing the
 * store can run it. Routes are HTTP configuration: {@code accepted.routes.<type>.*} properties
 * change this route per environment, and {@code accepted.routes.<name>.*} adds more.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AcceptedJob {

    /** The job type: 1 to 64 characters, letters, digits, {@code . _ -}. */
    String type();

    /** The submit endpoint as {@code "METHOD /path"}, such as {@code "POST /api/reports"}; empty for none. */
    String route() default "";

    /**
     * What the submitted JSON is read into. Default: the handler's first type argument, read
     * from the bean's class or its {@code @Bean} method's return type.
     */
    Class<?> input() default void.class;

    /**
     * "Auto" mode for the route: wait this long for the job before answering {@code 202}, such as
     * {@code "2s"}; empty for none. See {@link io.github.accepted.protocol.Route#waitByDefault}.
     */
    String waitByDefault() default "";

    /** Whether the route refuses submissions without an {@code Idempotency-Key}. */
    boolean requireIdempotencyKey() default false;

    /** Whether the status monitor shows the job's input (off: input may hold secrets). */
    boolean echoInput() default false;

    /** A fixed {@code Retry-After} for the route's jobs, such as {@code "5s"}; empty for adaptive. */
    String retryAfter() default "";
}
