/** Training checkpoints: written atomically to any Hadoop filesystem, loaded by resume and evaluation. */
package org.ssdspark.checkpoint;
