/**
 * docs: the checks that keep the lessons and reference pages in {@code docs/} true to the code:
 * {@link org.rnnlab.docs.Excerpts} (the code in the lessons equals its source region) and
 * {@link org.rnnlab.docs.LinkChecker} (every relative link resolves).
 */
package org.rnnlab.docs;
