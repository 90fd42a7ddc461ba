/** Model, training and evaluation side of the SSD-Lite/MobileNetV2 service. */
package org.ssdspark;
