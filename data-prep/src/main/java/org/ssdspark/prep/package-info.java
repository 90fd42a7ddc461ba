/** Dataset side: VOC discovery and parsing, the shard record format, the conversion job. */
package org.ssdspark.prep;
