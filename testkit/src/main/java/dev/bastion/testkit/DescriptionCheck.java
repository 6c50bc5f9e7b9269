package dev.bastion.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.tool.ToolDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a tool's descriptions tell a model something: a model picks tools and fills arguments
 * from these texts alone, so a description that only restates the name is as good as none.
 */
final class DescriptionCheck {

    static final int MIN_WORDS = 8;
    static final int MIN_NEW_WORDS = 4;
    static final int MIN_ARGUMENT_WORDS = 3;

    private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}\\p{N}'-]*");
    private static final Pattern SAYS_WHAT_IT_DOES = Pattern.compile("(?i)\\b(returns?|lists?|shows?|gives?|"
            + "reports?|yields?|answers?|gets?|fetch(es)?|reads?|finds?|search(es)?|counts?|describes?|explains?|"
            + "looks? up|queries|creates?|updates?|deletes?|removes?|adds?|sets?|sends?|posts?|changes?|runs?|"
            + "starts?|stops?|closes?|acknowledges?|comments?|cancels?|triggers?|writes?|ingests?)\\b");

    private DescriptionCheck() {
    }

    static List<String> problems(ToolDescriptor descriptor) {
        List<String> problems = new ArrayList<>();
        String name = descriptor.name();
        String description = descriptor.description().strip();
        List<String> words = words(description);
        if (words.size() < MIN_WORDS) {
            problems.add(name + ": the description has " + words.size() + " words; say in at least " + MIN_WORDS
                    + " what the tool returns or does and when to use it");
        }
        Set<String> known = new LinkedHashSet<>(words(name.replace('_', ' ')));
        if (descriptor.title() != null) {
            if (description.equalsIgnoreCase(descriptor.title().strip())) {
                problems.add(name + ": the description only repeats the title");
            }
            known.addAll(words(descriptor.title()));
        }
        long newWords = words.stream().filter(word -> !known.contains(word)).distinct().count();
        if (newWords < MIN_NEW_WORDS) {
            problems.add(name + ": the description adds only " + newWords + " words to the name and title");
        }
        if (!SAYS_WHAT_IT_DOES.matcher(description).find()) {
            problems.add(name + ": the description does not say what the tool returns or does (returns, lists, "
                    + "shows, creates …)");
        }
        for (Map.Entry<String, JsonNode> property : descriptor.inputSchema().path("properties").properties()) {
            String argument = property.getKey();
            String text = property.getValue().path("description").asText("").strip();
            if (text.equalsIgnoreCase(argument.replace('_', ' '))) {
                problems.add(name + ": the description of argument " + argument + " only repeats its name");
            } else if (words(text).size() < MIN_ARGUMENT_WORDS) {
                problems.add(name + ": argument " + argument + " needs a description of at least "
                        + MIN_ARGUMENT_WORDS + " words (what it selects, its syntax or an example)");
            }
        }
        return problems;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            words.add(matcher.group().toLowerCase(Locale.ROOT));
        }
        return words;
    }
}
