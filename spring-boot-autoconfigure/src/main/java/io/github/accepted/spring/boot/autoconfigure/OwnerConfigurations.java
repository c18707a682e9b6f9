package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.servlet.OwnerResolver;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who owns a request's jobs: Spring Security's authenticated user, else the request's principal.
 * Servlet owners: not in a reactive web application ({@link WebFluxConfiguration} decides there).
 */
final class OwnerConfigurations {

    private OwnerConfigurations() {}

    /** With Spring Security: the name of the current {@code Authentication}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SecurityContextHolder.class)
    @Conditional(NotReactiveCondition.class)
    static class SpringSecurity {

        @Bean
        @ConditionalOnMissingBean
        OwnerResolver acceptedOwnerResolver() {
            return new AuthenticationOwnerResolver();
        }
    }

    /** Without: {@code HttpServletRequest#getUserPrincipal()}. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(NotReactiveCondition.class)
    static class UserPrincipal {

        @Bean
        @ConditionalOnMissingBean
        OwnerResolver acceptedOwnerResolver() {
            return OwnerResolver.userPrincipal();
        }
    }
}
