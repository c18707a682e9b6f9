package io.github.accepted.spring.boot.autoconfigure;

import io.github.accepted.protocol.ProtocolEngine;
import io.github.accepted.webflux.AcceptedRoutes;
import io.github.accepted.webflux.AcceptedWebHandler;
import io.github.accepted.webflux.OwnerResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.scheduler.Schedulers;

/**
 * On a reactive web server (Reactor Netty, or any server Spring WebFlux runs on), with
 * accepted-webflux on the class path: Accepted's endpoints as a {@link RouterFunction} bean,
 * matching only the engine's exact paths, beside the application's own routes. Owners come from
 * the application's {@link OwnerResolver} bean if it has one, else from the reactive security
 * context or the exchange's principal ({@link OwnerResolver#principal()}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(AcceptedRoutes.class)
class WebFluxConfiguration {

    /** The bean name of the router function; define a bean of this name to replace it. */
    static final String ROUTER = "acceptedRouterFunction";

    @Bean(ROUTER)
    @ConditionalOnMissingBean(name = ROUTER)
    RouterFunction<ServerResponse> acceptedRouterFunction(ProtocolEngine engine, ObjectProvider<OwnerResolver> owners) {
        OwnerResolver resolver = owners.getIfUnique(OwnerResolver::principal);
        return AcceptedRoutes.of(new AcceptedWebHandler(engine, resolver, Schedulers.boundedElastic()));
    }
}
