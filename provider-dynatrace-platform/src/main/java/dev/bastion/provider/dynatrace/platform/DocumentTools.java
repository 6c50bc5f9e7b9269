package dev.bastion.provider.dynatrace.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolResult;
import dev.bastion.toolkit.http.OffsetPaging;
import dev.bastion.toolkit.tool.Arg;
import dev.bastion.toolkit.tool.CompactJson;
import dev.bastion.toolkit.tool.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;

/** Notebooks and dashboards (the document service). */
final class DocumentTools {

    static final String[] DOCUMENTS = {"platform", "document", "v1", "documents"};
    static final int MAX_DOCUMENTS = 1000;
    private static final Arg<String> NAME = Arg.string("name", "Only documents whose name contains this text.", 200);
    private static final Arg<String> TYPE = Arg.enumeration("type", "Only notebooks or only dashboards; default both.",
            List.of("notebook", "dashboard"));
    private static final Arg<String> TITLE = Arg.string("name", "The notebook's name.", 200).required();
    private static final Arg<List<String>> QUERIES = Arg.strings("queries", "DQL queries, one section each.", 20,
            20_000, null);
    private static final Arg<String> TEXT = Arg.string("markdown", "Text to put first, in Markdown.", 20_000);

    private final PlatformClient client;

    DocumentTools(PlatformClient client) {
        this.client = client;
    }

    List<ToolSpec> tools() {
        return List.of(findDocuments(), createNotebook());
    }

    /** A value in the document filter language: single quotes, {@code \'} and {@code \\} escaped. */
    static String filterValue(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private ToolSpec findDocuments() {
        return ToolSupport.read("find_documents", "Find notebooks and dashboards", "document:documents:read")
                .description("Finds notebooks and dashboards by name and type: id, name, type, owner and when they"
                        + " changed last, with a link to open each. Every page is read, up to " + MAX_DOCUMENTS + ".")
                .args(NAME, TYPE)
                .output("""
                        {"type":"object","required":["documents","count"],"properties":{
                          "documents":{"type":"array","items":{"type":"object","properties":{
                            "id":{"type":"string"},"name":{"type":"string"},"type":{"type":"string"},
                            "owner":{"type":"string"},"modified":{"type":"string"},"url":{"type":"string"}}}},
                          "count":{"type":"integer"},"total":{"type":"integer"},"truncated":{"type":"boolean"}}}""")
                .tags("documents").fanOut()
                .handler((args, context) -> {
                    List<String> filters = new ArrayList<>();
                    args.optional(NAME).ifPresent(name -> filters.add("name contains " + filterValue(name)));
                    args.optional(TYPE).ifPresent(type -> filters.add("type == " + filterValue(type)));
                    String[] pageKey = {null};
                    OffsetPaging.Result result = OffsetPaging.readAll(100, MAX_DOCUMENTS, (offset, limit) -> {
                        var request = client.get(DOCUMENTS).query("page-size", limit);
                        if (pageKey[0] != null) {
                            request.query("page-key", pageKey[0]);
                        } else if (!filters.isEmpty()) {
                            request.query("filter", String.join(" and ", filters));
                        }
                        JsonNode page = client.send(request, context);
                        JsonNode next = page.path("nextPageKey");
                        pageKey[0] = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
                        List<JsonNode> items = new ArrayList<>();
                        page.path("documents").forEach(items::add);
                        return new OffsetPaging.Page(items, page.path("totalCount").isNumber()
                                ? page.path("totalCount").asLong() : -1, pageKey[0] != null);
                    });
                    ObjectNode out = ToolSupport.object();
                    ArrayNode documents = out.putArray("documents");
                    for (JsonNode document : result.items()) {
                        ObjectNode item = documents.addObject();
                        String id = document.path("id").asText();
                        item.put("id", id);
                        CompactJson.put(item, "name", CompactJson.text(document, "name"));
                        CompactJson.put(item, "type", CompactJson.text(document, "type"));
                        CompactJson.put(item, "owner", CompactJson.text(document, "owner"));
                        CompactJson.put(item, "modified", ToolSupport.time(document.path("modificationInfo")
                                .path("lastModifiedTime")));
                        item.put("url", link(document.path("type").asText(), id));
                    }
                    out.put("count", documents.size());
                    out.put("total", result.total());
                    if (result.truncated()) {
                        out.put("truncated", true);
                    }
                    return ToolResult.structured(out);
                }).build();
    }

    private String link(String type, String id) {
        String app = "dashboard".equals(type) ? "dynatrace.dashboards/dashboard/" : "dynatrace.notebooks/notebook/";
        return client.baseUrl().replaceAll("/$", "") + "/ui/apps/" + app + id;
    }

    private ToolSpec createNotebook() {
        return ToolSupport.write("create_notebook", "Create a notebook", "document:documents:write")
                .description("Creates a private notebook with a Markdown section and one DQL section per query, and"
                        + " returns its id and the link to open it.")
                .args(TITLE, TEXT, QUERIES)
                .output("""
                        {"type":"object","required":["id","url"],"properties":{"id":{"type":"string"},
                          "name":{"type":"string"},"url":{"type":"string"}}}""")
                .tags("documents")
                .handler((args, context) -> {
                    ObjectNode content = ToolSupport.object();
                    content.putObject("defaultTimeframe").put("from", "now()-2h").put("to", "now()");
                    content.putArray("defaultSegments");
                    ArrayNode sections = content.putArray("sections");
                    args.optional(TEXT).ifPresent(text -> sections.addObject().put("id", UUID.randomUUID().toString())
                            .put("type", "markdown").put("markdown", text));
                    for (String query : args.optional(QUERIES).orElse(List.of())) {
                        ObjectNode section = sections.addObject().put("id", UUID.randomUUID().toString())
                                .put("type", "dql").put("showTitle", false);
                        section.putObject("state").putObject("input").put("value", query);
                    }
                    MultipartBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                            .addFormDataPart("name", args.get(TITLE))
                            .addFormDataPart("type", "notebook")
                            .addFormDataPart("isPrivate", "true")
                            .addFormDataPart("content", "notebook.json", RequestBody.create(
                                    client.json().writeValueAsBytes(content), MediaType.get("application/json")))
                            .build();
                    JsonNode created = client.send(client.postMultipart(body, DOCUMENTS), context);
                    JsonNode metadata = created.has("documentMetadata") ? created.path("documentMetadata") : created;
                    ObjectNode out = ToolSupport.object();
                    String id = metadata.path("id").asText();
                    out.put("id", id);
                    CompactJson.put(out, "name", CompactJson.text(metadata, "name"));
                    out.put("url", link("notebook", id));
                    return ToolResult.structured(out);
                }).build();
    }
}
