package io.github.accepted.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;

/**
 * Matches unless the application is a reactive web application: the servlet side's beans (the
 * servlet {@code OwnerResolver}, the Spring Security servlet helpers) stay out of a WebFlux
 * application, where they would name servlet types it need not have.
 */
class NotReactiveCondition extends NoneNestedConditions {

    NotReactiveCondition() {
        super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class Reactive {}
}
