/**
 * language-model: tokenisers (character and word level), {@code Vocabulary} with {@code <UNK>} and
 * {@code <EOS>}, corpora from the JDK itself, next-token language models,
 * {@code P(y⟨1⟩…y⟨T⟩) = Π_t P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩)}, sampling and checkpoints. Not written yet (issue 6).
 */
package org.rnnlab.lm;
