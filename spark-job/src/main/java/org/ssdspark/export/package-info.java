/**
 * Getting a trained network out of this project: as the original's PyTorch {@code state_dict}. Depends on
 * {@code model} (names and layout) and {@code torch} (the file format); nothing depends on it but entry points.
 */
package org.ssdspark.export;
