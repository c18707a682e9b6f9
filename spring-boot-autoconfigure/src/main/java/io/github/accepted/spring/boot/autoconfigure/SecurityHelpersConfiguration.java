package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.spring.boot.security.AcceptedRequestMatcher;
import io.github.accepted.spring.boot.security.ProblemSecurityHandler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * With Spring Security: the pieces an application's {@code SecurityFilterChain} uses for
 * Accepted's paths. Nothing is configured on the application's behalf. Servlet types: not in a
 * reactive web application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RequestMatcher.class)
@Conditional(NotReactiveCondition.class)
class SecurityHelpersConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AcceptedRequestMatcher acceptedRequestMatcher(ProtocolEngine engine) {
        return new AcceptedRequestMatcher(engine);
    }

    @Bean
    @ConditionalOnMissingBean
    ProblemSecurityHandler acceptedProblemSecurityHandler() {
        return new ProblemSecurityHandler();
    }
}
