package dev.bastion.core.spi;

/** Which list a provider changed; clients that asked for it receive a {@code list_changed} notification. */
public enum ListChange {
    TOOLS,
    RESOURCES,
    PROMPTS
}
