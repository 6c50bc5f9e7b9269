package dev.bastion.app.plugin;

/** A provider factory whose constructor fails, as a plugin missing its license file might. */
public class FailingTestFactory extends PluginTestFactory {

    public FailingTestFactory() {
        throw new IllegalStateException("license file missing");
    }
}
