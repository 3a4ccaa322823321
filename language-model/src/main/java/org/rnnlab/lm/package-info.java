/**
 * language-model: the notes' language models.
 * <ul>
 *   <li>{@link org.rnnlab.lm.Tokenizer} (character and word level) and {@link org.rnnlab.lm.Vocabulary}
 *       ({@code <EOS>}, {@code <UNK>}, a size cap, deterministic ties);</li>
 *   <li>{@link org.rnnlab.lm.Corpus}: {@code jdk:cities}, {@code jdk:countries}, {@code jdk:unicode} from
 *       the JDK itself, {@code grammar:english} from {@link org.rnnlab.lm.Grammar} (a small probabilistic
 *       grammar whose true sentence probabilities and entropy rate are known exactly), or a UTF-8 file;</li>
 *   <li>{@link org.rnnlab.lm.LanguageModel}: {@code x⟨1⟩ = 0}, {@code x⟨t⟩ = y⟨t−1⟩},
 *       {@code P(y⟨1⟩…y⟨T⟩) = Π_t P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩)} in log space, sampling with temperature and
 *       top-k, checkpoints;</li>
 *   <li>{@link org.rnnlab.lm.NGramBaseline}: unigram, add-k bigram and interpolated modified
 *       {@link org.rnnlab.lm.KneserNey Kneser-Ney} baselines
 *       ({@code P_n(w | h) = (c(h w) − D) / c(h •) + γ(h) · P_{n−1}(w | h′)}), the order chosen on the
 *       validation set, and a model's gap to the best of them.</li>
 * </ul>
 */
package org.rnnlab.lm;
