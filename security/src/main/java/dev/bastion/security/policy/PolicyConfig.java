package dev.bastion.security.policy;

import static java.util.Objects.requireNonNull;

import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.core.spi.Setting;
import dev.bastion.core.spi.SettingType;
import java.util.List;
import java.util.Optional;

/**
 * Tool visibility and gating settings of the {@code security} section.
 *
 * @param readOnly whether tools that are not {@code readOnlyHint} are hidden and refused
 * @param approval which calls need a human's approval through elicitation
 * @param toolsInclude globs on tool names; when non-empty, only matching tools are offered
 * @param toolsExclude globs on tool names that are never offered
 * @param tagsInclude when non-empty, only tools with at least one of these tags are offered
 * @param tagsExclude tools with any of these tags are never offered
 */
public record PolicyConfig(
        boolean readOnly,
        ApprovalMode approval,
        List<String> toolsInclude,
        List<String> toolsExclude,
        List<String> tagsInclude,
        List<String> tagsExclude) {

    public PolicyConfig {
        requireNonNull(approval, "approval is null");
        toolsInclude = List.copyOf(requireNonNull(toolsInclude, "toolsInclude is null"));
        toolsExclude = List.copyOf(requireNonNull(toolsExclude, "toolsExclude is null"));
        tagsInclude = List.copyOf(requireNonNull(tagsInclude, "tagsInclude is null"));
        tagsExclude = List.copyOf(requireNonNull(tagsExclude, "tagsExclude is null"));
    }

    /** The defaults: read-only, approval for destructive tools, no filters. */
    public static PolicyConfig defaults() {
        return new PolicyConfig(true, ApprovalMode.DESTRUCTIVE, List.of(), List.of(), List.of(), List.of());
    }

    /** The settings this package reads, keys relative to the {@code security} section. */
    public static List<Setting> settings() {
        return List.of(
                Setting.builder("read_only", SettingType.BOOLEAN)
                        .env("BASTION_READ_ONLY")
                        .defaultValue("true")
                        .description("Hide and refuse every tool that is not annotated read-only.")
                        .build(),
                Setting.builder("approval", SettingType.STRING)
                        .env("BASTION_APPROVAL")
                        .defaultValue("destructive")
                        .description("Which calls need the user's approval through elicitation: destructive, writes or none.")
                        .format((source, value) -> ApprovalMode.parse(value).isPresent()
                                ? Optional.empty()
                                : Optional.of(source + " must be one of " + ApprovalMode.choices()))
                        .build(),
                Setting.builder("tools.include", SettingType.LIST)
                        .env("BASTION_TOOLS_INCLUDE")
                        .description("Globs on tool names (such as dynatrace_managed_*); when set, only matching tools are offered.")
                        .build(),
                Setting.builder("tools.exclude", SettingType.LIST)
                        .env("BASTION_TOOLS_EXCLUDE")
                        .description("Globs on tool names that are never offered.")
                        .build(),
                // itential-mcp's tag filters map onto these; its tag groups are the Itential tools' tags.
                Setting.builder("tags.include", SettingType.LIST)
                        .env("BASTION_TAGS_INCLUDE", "ITENTIAL_MCP_SERVER_INCLUDE_TAGS")
                        .description("When set, only tools carrying at least one of these tags are offered.")
                        .build(),
                Setting.builder("tags.exclude", SettingType.LIST)
                        .env("BASTION_TAGS_EXCLUDE", "ITENTIAL_MCP_SERVER_EXCLUDE_TAGS")
                        .description("Tools carrying any of these tags are never offered.")
                        .build());
    }

    /** Reads the typed values from the resolved {@code security} section. */
    public static PolicyConfig from(ProviderConfig section) {
        requireNonNull(section, "section is null");
        String approvalText = section.string("approval").orElse("destructive");
        ApprovalMode approval = ApprovalMode.parse(approvalText).orElseThrow(() -> new ProviderConfigException(
                "security.approval must be one of " + ApprovalMode.choices() + ", not '" + approvalText + "'"));
        PolicyConfig config = new PolicyConfig(
                section.bool("read_only").orElse(true),
                approval,
                section.list("tools.include"),
                section.list("tools.exclude"),
                section.list("tags.include"),
                section.list("tags.exclude"));
        ToolPolicy.checkGlobs(config);
        return config;
    }
}
