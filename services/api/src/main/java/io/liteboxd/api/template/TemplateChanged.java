package io.liteboxd.api.template;

/**
 * Published by {@link TemplateService} in the transaction that gave a template a new current
 * version (created, updated, imported, rolled back) or deleted it; listeners that write elsewhere
 * (the warm pool's PodTemplate) act after the commit.
 */
public record TemplateChanged(String name, boolean deleted) {}
