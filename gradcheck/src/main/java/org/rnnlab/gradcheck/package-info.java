/**
 * gradcheck: the numerical gradient checker (central differences with Richardson extrapolation,
 * relative error per element and the course's {@code ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)}), its report, and the
 * catalogue of every differentiable component of rnnlab (issue 4).
 */
package org.rnnlab.gradcheck;
