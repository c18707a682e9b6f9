/** The seed's report generator as a runnable embedded-Jetty application. */
package io.github.accepted.examples.reports;
