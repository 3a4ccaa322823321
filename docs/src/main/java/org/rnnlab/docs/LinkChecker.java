package org.rnnlab.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that every relative link of a Markdown page ({@code [text](path)} or {@code [text](path#anchor)})
 * points at a file or folder that exists. Links to the web ({@code http:}, {@code https:},
 * {@code mailto:}) and pure anchors ({@code #…}) are not followed.
 */
public final class LinkChecker {
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    private LinkChecker() {
    }

    /**
     * @param page a Markdown file
     * @return one line per broken link: {@code page:line: link 'target' → missing file}
     * @throws IOException if the file cannot be read or written
     */
    public static List<String> brokenLinks(Path page) throws IOException {
        List<String> broken = new ArrayList<>();
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        boolean inCode = false;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.trim().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                continue;
            }
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http:") || target.startsWith("https:") || target.startsWith("mailto:")
                        || target.startsWith("#")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash >= 0 ? target.substring(0, hash) : target;
                Path resolved = page.toAbsolutePath().getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(page + ":" + (n + 1) + ": link '" + target + "' → no such file " + resolved);
                }
            }
        }
        return broken;
    }
}
