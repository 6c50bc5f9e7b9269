package dev.bastion.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.tool.ToolAnnotations;
import dev.bastion.core.tool.ToolDescriptor;
import org.junit.jupiter.api.Test;

class DescriptionCheckTest {

    private static ToolDescriptor tool(String title, String description, String argumentDescription) {
        ObjectNode schema = ToolDescriptor.noArguments();
        schema.putObject("properties").putObject("problem_id").put("type", "string").put("maxLength", 64)
                .put("description", argumentDescription);
        return ToolDescriptor.builder("x_get_problem").title(title).description(description).inputSchema(schema)
                .annotations(ToolAnnotations.readOnly()).build();
    }

    @Test
    void acceptsADescriptionThatTellsWhatComesBackAndWhen() {
        assertThat(DescriptionCheck.problems(tool("Get problem", "Returns one problem with its root cause, impact "
                + "and comments; use it after list_problems gave you an id.", "The problem id from list_problems")))
                .isEmpty();
    }

    @Test
    void rejectsADescriptionThatRestatesTheNameAndTitle() {
        assertThat(DescriptionCheck.problems(tool("Get problem", "Get problem", "Problem id"))).containsExactly(
                "x_get_problem: the description has 2 words; say in at least 8 what the tool returns or does and "
                        + "when to use it",
                "x_get_problem: the description only repeats the title",
                "x_get_problem: the description adds only 0 words to the name and title",
                "x_get_problem: the description of argument problem_id only repeats its name");
    }

    @Test
    void rejectsALongDescriptionThatNeverSaysWhatTheToolDoes() {
        assertThat(DescriptionCheck.problems(tool(null, "This tool is about a problem in the monitored "
                + "environment of the customer.", "Which problem, by id")))
                .containsExactly("x_get_problem: the description does not say what the tool returns or does "
                        + "(returns, lists, shows, creates …)");
    }

    @Test
    void rejectsAnArgumentDescribedInTooFewWords() {
        assertThat(DescriptionCheck.problems(tool(null, "Returns one problem with its root cause, impact and "
                + "comments.", "Identifier."))).containsExactly("x_get_problem: argument problem_id needs a "
                + "description of at least 3 words (what it selects, its syntax or an example)");
    }
}
