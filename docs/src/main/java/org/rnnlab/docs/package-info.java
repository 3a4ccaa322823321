/**
 * docs: the checks that keep the lessons and reference pages in {@code docs/} true to the code.
 * So far, {@link org.rnnlab.docs.LinkChecker}: every relative link resolves.
 */
package org.rnnlab.docs;
