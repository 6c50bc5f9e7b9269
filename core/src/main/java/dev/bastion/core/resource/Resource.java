package dev.bastion.core.resource;

import dev.bastion.core.tool.CallContext;
import dev.bastion.core.tool.ResourceContents;
import java.util.List;

/** A concrete resource a provider serves. */
public interface Resource {

    ResourceDescriptor descriptor();

    /** Reads the contents; failures throw and become a JSON-RPC error with a sanitised message. */
    List<ResourceContents> read(CallContext context) throws Exception;
}
