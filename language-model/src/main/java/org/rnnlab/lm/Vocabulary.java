package org.rnnlab.lm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The notes' vocabulary: the most frequent tokens of a corpus, each with an index, plus
 * {@code <EOS>} (end of sentence, index 0) and {@code <UNK>} (every token outside the vocabulary, index 1).
 * Built by frequency with a size cap (10,000 by default, as in the notes), ties broken by the
 * token's text so that the same corpus always gives the same indices.
 */
public final class Vocabulary {
    /** End of sentence. */
    public static final String EOS = "<EOS>";
    /** Unknown token. */
    public static final String UNK = "<UNK>";
    /** The notes' vocabulary size. */
    public static final int DEFAULT_SIZE = 10_000;
    /** The largest vocabulary, specials included (the largest {@code n_x}, {@code n_y} rnnlab reads). */
    public static final int MAX_SIZE = 100_000;

    private final List<String> tokens;
    private final Map<String, Integer> index = new HashMap<>();

    private Vocabulary(List<String> tokens) {
        this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
        for (int i = 0; i < tokens.size(); i++) {
            index.put(tokens.get(i), i);
        }
    }

    /**
     * Builds a vocabulary from token counts.
     *
     * @param counts  token → count
     * @param maxSize the cap, {@code <EOS>} and {@code <UNK>} included (at least 3)
     * @return the vocabulary
     */
    public static Vocabulary build(Map<String, Integer> counts, int maxSize) {
        if (maxSize < 3) {
            throw new IllegalArgumentException("a vocabulary needs room for <EOS>, <UNK> and one token; --vocab-size " + maxSize
                    + " is below 3");
        }
        // [lesson:vocabulary-build]
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(e -> e.getKey().equals(EOS) || e.getKey().equals(UNK));
        entries.sort((a, b) -> !a.getValue().equals(b.getValue()) ? Integer.compare(b.getValue(), a.getValue())
                : a.getKey().compareTo(b.getKey()));
        List<String> tokens = new ArrayList<>();
        tokens.add(EOS);
        tokens.add(UNK);
        for (Map.Entry<String, Integer> e : entries) {
            if (tokens.size() >= maxSize) {
                break;
            }
            tokens.add(e.getKey());
        }
        return new Vocabulary(tokens);
        // [/lesson:vocabulary-build]
    }

    /**
     * @param lines the training lines
     * @param tokenizer how lines become tokens
     * @return how often each token occurs in the lines, as the tokenizer splits them
     */
    public static Map<String, Integer> count(List<String> lines, Tokenizer tokenizer) {
        Map<String, Integer> counts = new HashMap<>();
        for (String line : lines) {
            for (String t : tokenizer.tokenize(line)) {
                counts.merge(t, 1, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * @param lines the training lines
     * @param tokenizer how lines become tokens
     * @param maxSize the largest vocabulary, {@code <UNK>} and {@code <EOS>} included
     * @return the vocabulary of the lines: {@link #build(Map, int)} of their {@link #count counts}
     */
    public static Vocabulary build(List<String> lines, Tokenizer tokenizer, int maxSize) {
        return build(count(lines, tokenizer), maxSize);
    }

    /** @return the number of entries, specials included */
    public int size() {
        return tokens.size();
    }

    /**
     * @param token the token
     * @return the index of a token, or that of {@code <UNK>}
     */
    public int id(String token) {
        Integer i = index.get(token);
        return i == null ? 1 : i;
    }

    /**
     * @param token the token
     * @return true when the token has its own index
     */
    public boolean contains(String token) {
        return index.containsKey(token);
    }

    /**
     * @param id the token id
     * @return the token of an index
     */
    public String token(int id) {
        if (id < 0 || id >= tokens.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + tokens.size());
        }
        return tokens.get(id);
    }

    /** @return index of {@code <EOS>} */
    public int eos() {
        return 0;
    }

    /** @return index of {@code <UNK>} */
    public int unk() {
        return 1;
    }

    /**
     * @param toks the tokens
     * @return the ids of the tokens followed by {@code <EOS>}
     */
    public int[] encode(List<String> toks) {
        int[] ids = new int[toks.size() + 1];
        for (int i = 0; i < toks.size(); i++) {
            ids[i] = id(toks.get(i));
        }
        ids[toks.size()] = eos();
        return ids;
    }

    /** @return the tokens as a list, in index order */
    public List<String> tokens() {
        return tokens;
    }

    /** @return the tokens as a JSON array, for checkpoints */
    public String toJson() {
        ArrayNode a = new ObjectMapper().createArrayNode();
        tokens.forEach(a::add);
        return a.toString();
    }

    /**
     * Reads a vocabulary strictly: a JSON array (nothing after it) of 3 to {@value #MAX_SIZE} distinct,
     * non-empty strings, the first two {@code <EOS>} and {@code <UNK>}.
     *
     * @param json the JSON written by {@link #toJson}
     * @return the vocabulary written by {@link #toJson()}
     * @throws IllegalArgumentException naming what is wrong and where
     */
    public static Vocabulary fromJson(String json) {
        JsonNode a;
        try {
            a = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the vocabulary is not JSON: " + e.getOriginalMessage());
        }
        if (a == null || !a.isArray() || a.size() < 3 || a.size() > MAX_SIZE) {
            throw new IllegalArgumentException("the vocabulary must be a JSON array of 3 to " + MAX_SIZE
                    + " tokens starting with " + EOS + ", " + UNK);
        }
        List<String> t = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode n = a.get(i);
            if (!n.isTextual() || n.textValue().isEmpty()) {
                throw new IllegalArgumentException("vocabulary entry " + i + " (" + abbreviate(n.toString())
                        + ") is not a non-empty string");
            }
            if (!seen.add(n.textValue())) {
                throw new IllegalArgumentException("vocabulary entry " + i + " (" + abbreviate(n.toString())
                        + ") appears twice; every token has one index");
            }
            t.add(n.textValue());
        }
        if (!EOS.equals(t.get(0)) || !UNK.equals(t.get(1))) {
            throw new IllegalArgumentException("the vocabulary must be a JSON array starting with " + EOS + ", " + UNK);
        }
        return new Vocabulary(t);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
}
