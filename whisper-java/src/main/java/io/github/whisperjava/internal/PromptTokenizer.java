package io.github.whisperjava.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an initial prompt into the token ids whisper.cpp would make of it, in Java.
 *
 * <p>Why not let whisper.cpp do it: its tokenizer splits text with {@code std::regex}, whose matcher
 * recurses once per character of a run without spaces (4,000 {@code x} overflow a 1 MB thread stack
 * and kill the JVM), and then finds tokens by trying every substring of a word, longest first (cubic
 * in the word's length: a 1 MB word would run for hours). Any caller-supplied prompt reaches it.
 *
 * <p>This is the same algorithm, linear and without recursion: the same word split (the regex of
 * whisper.cpp's {@code tokenize()} as libstdc++ runs it in the classic "C" locale: ASCII letters and
 * digits, and every byte from 0x80 up counts as punctuation), and the same greedy longest match
 * against the vocabulary, bounded by the longest token (a longer substring cannot match anyway).
 * whisper.cpp keeps only the last {@code n_text_ctx/2 - 1} prompt tokens, so only the tail of the
 * prompt is tokenized: words are independent, and they are taken from the end until there are enough.
 */
public final class PromptTokenizer {
    private final Map<String, Integer> tokenIds;
    private final int longestToken;

    /** {@code vocabulary[id]} is the UTF-8 bytes of token {@code id}, as whisper.cpp's {@code id_to_token}. */
    public PromptTokenizer(byte[][] vocabulary) {
        tokenIds = new HashMap<>(vocabulary.length * 2);
        int longest = 1;
        for (int id = 0; id < vocabulary.length; id++) {
            if (vocabulary[id] == null || vocabulary[id].length == 0) {
                continue;
            }
            // later ids win, as in whisper.cpp's token_to_id, which is filled in id order
            tokenIds.put(latin1(vocabulary[id]), id);
            longest = Math.max(longest, vocabulary[id].length);
        }
        longestToken = longest;
    }

    /**
     * The last {@code keep} tokens whisper.cpp's {@code whisper_tokenize} would produce for
     * {@code text} (all of them when there are fewer).
     */
    public int[] lastTokens(String text, int keep) {
        // one char per byte: the regex and the vocabulary both work on bytes
        String bytes = latin1(text.getBytes(StandardCharsets.UTF_8));
        List<int[]> words = splitWords(bytes);
        List<int[]> tokensPerWord = new ArrayList<>();
        int have = 0;
        for (int w = words.size() - 1; w >= 0 && have < keep; w--) {
            int[] ids = wordTokens(bytes, words.get(w)[0], words.get(w)[1]);
            tokensPerWord.add(ids);
            have += ids.length;
        }
        int[] out = new int[Math.min(keep, have)];
        int pos = out.length;
        for (int[] ids : tokensPerWord) {
            for (int i = ids.length - 1; i >= 0 && pos > 0; i--) {
                out[--pos] = ids[i];
            }
        }
        return out;
    }

    /** Greedy longest match from the left, as whisper.cpp's {@code tokenize()}; unknown bytes are skipped. */
    private int[] wordTokens(String s, int from, int to) {
        int[] ids = new int[to - from];
        int n = 0;
        int i = from;
        while (i < to) {
            boolean found = false;
            for (int j = Math.min(to, i + longestToken); j > i; j--) {
                Integer id = tokenIds.get(s.substring(i, j));
                if (id != null) {
                    ids[n++] = id;
                    i = j;
                    found = true;
                    break;
                }
            }
            if (!found) {
                i++; // whisper.cpp logs "unknown token" and moves on
            }
        }
        return Arrays.copyOf(ids, n);
    }

    /**
     * Word boundaries ({from, to} pairs) of
     * {@code 's|'t|'re|'ve|'m|'ll|'d| ?[[:alpha:]]+| ?[[:digit:]]+| ?[^\s[:alpha:][:digit:]]+|\s+(?!\S)|\s+}
     * applied repeatedly from the start, as whisper.cpp does. One of the alternatives always matches at
     * the current position, so the words tile the text.
     */
    static List<int[]> splitWords(String s) {
        List<int[]> words = new ArrayList<>();
        int n = s.length();
        int p = 0;
        while (p < n) {
            int end = contraction(s, p);
            if (end < 0) {
                int q = s.charAt(p) == ' ' && p + 1 < n ? p + 1 : p;
                int cls = kind(s.charAt(q));
                if (cls != SPACE) {
                    // ' ?X+' for X = letters, digits or other: a run of one kind, after an optional space
                    end = q + 1;
                    while (end < n && kind(s.charAt(end)) == cls) {
                        end++;
                    }
                } else {
                    int r = p;
                    while (r < n && kind(s.charAt(r)) == SPACE) {
                        r++;
                    }
                    // \s+(?!\S): the whole run at the end, else all but its last char; else \s+
                    end = r == n ? n : r - p >= 2 ? r - 1 : r;
                }
            }
            words.add(new int[] {p, end});
            p = end;
        }
        return words;
    }

    private static final String[] CONTRACTIONS = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};

    private static int contraction(String s, int p) {
        if (s.charAt(p) != '\'') {
            return -1;
        }
        for (String c : CONTRACTIONS) {
            if (s.startsWith(c, p)) {
                return p + c.length();
            }
        }
        return -1;
    }

    private static final int SPACE = 0;
    private static final int ALPHA = 1;
    private static final int DIGIT = 2;
    private static final int OTHER = 3;

    // classic "C" locale classes over bytes
    private static int kind(char c) {
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            return SPACE;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return ALPHA;
        }
        if (c >= '0' && c <= '9') {
            return DIGIT;
        }
        return OTHER;
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
