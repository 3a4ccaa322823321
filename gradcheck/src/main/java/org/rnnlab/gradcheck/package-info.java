/**
 * gradcheck: the numerical gradient checker (central differences with Richardson extrapolation,
 * relative error per element and the course's {@code ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)}), its report, and the
 * catalogue of every differentiable component of rnnlab ({@link org.rnnlab.gradcheck.Catalogue}), with the
 * checks differences alone cannot make ({@link org.rnnlab.gradcheck.ExtraChecks}).
 */
package org.rnnlab.gradcheck;
