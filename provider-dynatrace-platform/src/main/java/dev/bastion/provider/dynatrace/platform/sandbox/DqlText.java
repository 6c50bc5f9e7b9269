package dev.bastion.provider.dynatrace.platform.sandbox;

import java.util.ArrayList;
import java.util.List;

/** Splits DQL text into its commands at the top-level pipes, outside strings, brackets and comments. */
final class DqlText {

    private DqlText() {
    }

    static List<String> commands(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                current.append(' ');
                continue;
            }
            if (c == '"' || c == '`') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == '|' && depth == 0) {
                add(out, current);
                continue;
            }
            current.append(c);
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder current) {
        String command = current.toString().replaceAll("\\s+", " ").trim();
        if (!command.isEmpty()) {
            out.add(command);
        }
        current.setLength(0);
    }
}
