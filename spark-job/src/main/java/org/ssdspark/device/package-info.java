/** Accelerator assignment: which card each Spark task was given, and pinning ND4J to it. */
package org.ssdspark.device;
