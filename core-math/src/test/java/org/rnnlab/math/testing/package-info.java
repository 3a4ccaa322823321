/** Test helpers shared by every module through core-math's test-jar. */
package org.rnnlab.math.testing;
