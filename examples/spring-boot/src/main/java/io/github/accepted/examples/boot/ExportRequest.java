package io.github.accepted.examples.boot;

/**
 * What a client asks to export: its orders of the last {@code months} months, as CSV.
 *
 * @param months 1 to 24
 */
public record ExportRequest(int months) {}
