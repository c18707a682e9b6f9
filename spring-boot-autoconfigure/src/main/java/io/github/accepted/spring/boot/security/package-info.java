/**
 * Spring Security pieces for Accepted's paths: {@link io.github.accepted.spring.boot.security.AcceptedRequestMatcher}
 * selects them (for CSRF rules, say), {@link io.github.accepted.spring.boot.security.ProblemSecurityHandler}
 * answers 401 and 403 as problems. The starter declares both as beans when Spring Security is present.
 */
@NullMarked
package io.github.accepted.spring.boot.security;

import org.jspecify.annotations.NullMarked;
