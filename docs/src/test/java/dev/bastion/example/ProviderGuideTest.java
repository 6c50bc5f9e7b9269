package dev.bastion.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps the provider guide, the outside provider's pom and the BOM true to the build: the guide
 * shows the outside provider's pom verbatim, the BOM lists every published module at the reactor's
 * version with the reactor's library versions, and the outside pom pins the plugin versions the
 * reactor's build downloads (so its offline build finds them).
 */
class ProviderGuideTest {

    private static final String POM_MARKER = "<!-- pom: docs/outside-provider/pom.xml";
    /** Modules that are not published for others to depend on: the benchmark harness and the guide's example. */
    private static final Set<String> UNPUBLISHED = Set.of("bench", "docs", "bom");

    private static final Path ROOT = root();

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("bom/pom.xml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no project root (with bom/pom.xml) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void theGuideShowsTheOutsideProvidersPomVerbatim() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/provider-guide.md"), StandardCharsets.UTF_8);
        int marker = guide.indexOf(POM_MARKER);
        assertThat(marker).as("the guide marks its pom block with %s", POM_MARKER).isNotNegative();
        int open = guide.indexOf("```xml\n", marker);
        int close = guide.indexOf("\n```", open);
        assertThat(open).as("an ```xml block after the marker").isPositive();
        String block = guide.substring(open + "```xml\n".length(), close + 1);
        assertThat(block).isEqualTo(Files.readString(ROOT.resolve("docs/outside-provider/pom.xml"),
                StandardCharsets.UTF_8));
    }

    @Test
    void theBomListsEveryPublishedModuleAtTheReactorVersion() throws Exception {
        Element root = parse(ROOT.resolve("pom.xml"));
        Element bom = parse(ROOT.resolve("bom/pom.xml"));
        assertThat(text(bom, "version")).isEqualTo(text(root, "version"));
        assertThat(child(bom, "parent")).as("the BOM has no parent, so importing it pins nothing else").isNull();

        List<String> managed = new ArrayList<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            if (text(dependency, "groupId").equals("dev.bastion")) {
                assertThat(text(dependency, "version")).isEqualTo("${project.version}");
                managed.add(text(dependency, "artifactId"));
            }
        }
        List<String> published = new ArrayList<>();
        for (Element module : children(child(root, "modules"), "module")) {
            if (!UNPUBLISHED.contains(module.getTextContent().trim())) {
                published.add(text(parse(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml")),
                        "artifactId"));
            }
        }
        assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
        assertThat(children(child(root, "modules"), "module")).extracting(Node::getTextContent).contains("bom");
    }

    @Test
    void theBomsLibraryVersionsAreTheReactors() throws Exception {
        Map<String, String> reactor = properties(parse(ROOT.resolve("pom.xml")));
        Map<String, String> bom = properties(parse(ROOT.resolve("bom/pom.xml")));
        assertThat(bom).isNotEmpty();
        bom.forEach((name, version) -> assertThat(reactor.get(name)).as("root pom property %s", name)
                .isEqualTo(version));
    }

    @Test
    void theOutsideProviderBuildsWithTheReactorsVersionAndPluginVersions() throws Exception {
        Element root = parse(ROOT.resolve("pom.xml"));
        Map<String, String> reactor = properties(root);
        Element outside = parse(ROOT.resolve("docs/outside-provider/pom.xml"));
        assertThat(child(outside, "parent")).as("the outside provider inherits nothing from Bastion").isNull();
        assertThat(properties(outside).get("bastion.version")).isEqualTo(text(root, "version"));
        Map<String, String> pinned = new LinkedHashMap<>();
        for (Element plugin : children(child(child(outside, "build"), "plugins"), "plugin")) {
            pinned.put(text(plugin, "artifactId"), text(plugin, "version"));
        }
        assertThat(pinned).containsOnlyKeys("maven-resources-plugin", "maven-compiler-plugin",
                "maven-surefire-plugin", "maven-jar-plugin");
        pinned.forEach((artifact, version) -> {
            String property = artifact.replace("maven-", "") + ".version";
            assertThat(version).as("%s (root pom property %s)", artifact, property).isEqualTo(reactor.get(property));
        });
    }

    private static Element parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    private static Map<String, String> properties(Element project) {
        Map<String, String> out = new LinkedHashMap<>();
        Element properties = child(project, "properties");
        if (properties != null) {
            NodeList nodes = properties.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                if (nodes.item(i) instanceof Element property) {
                    out.put(property.getTagName(), property.getTextContent().trim());
                }
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && element.getTagName().equals(name)) {
                out.add(element);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? "" : element.getTextContent().trim();
    }
}
