/** The seed's report generator as a runnable embedded-Jetty application. */
@NullMarked
package io.github.accepted.examples.reports;

import org.jspecify.annotations.NullMarked;
